"""借鉴报告 (secretariat): the adoption reports of published cases, newest first, with 隐藏 (a
required reason, on a confirmation page) and 恢复公开. The rules are in `cases.adoptions`
(docs/domain.md §4, 借鉴推广)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from .. import adoptions, selectors
from ..errors import WorkflowError
from .common import AdminPage, StaffOnlyMixin, safe_next
from .decision_forms import HideForm

STATES = {"": gettext_lazy("全部"), "public": gettext_lazy("公开"), "hidden": gettext_lazy("已隐藏")}


class AdoptionListView(StaffOnlyMixin, AdminPage):
    template_name = "cases/admin/adoptions/index.html"
    header_icon = "list-ul"
    page_title = gettext_lazy("借鉴报告")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.request.GET.get("state", "")
        state = state if state in STATES else ""
        reports = selectors.adoption_reports(hidden=(state == "hidden") if state else None)
        page = Paginator(reports, 50).get_page(self.request.GET.get("p"))
        context.update(
            state=state, states=[{"key": k, "label": v, "current": k == state} for k, v in STATES.items()],
            page=page,
            rows=[{"a": a, "reporter": a.reported_by.get_display_name(), "case_url": reverse("website:case", args=[a.case_id]),
                   "url": reverse("adoptions:report", args=[a.pk])} for a in page],
        )
        return context


class AdoptionView(StaffOnlyMixin, AdminPage):
    """One report: its text, and the form to hide it (reason, then confirm) or show it again."""

    template_name = "cases/admin/adoptions/report.html"
    header_icon = "list-ul"

    def dispatch(self, request, pk: int, *args, **kwargs):
        self.pk = pk
        return super().dispatch(request, pk, *args, **kwargs)

    def get_page_title(self):
        return _("借鉴报告")

    def get_page_subtitle(self):
        return self.adoption.case.title

    def get_crumbs(self):
        return [(reverse("adoptions:index"), _("借鉴报告"))]

    def load(self) -> None:
        self.adoption = get_object_or_404(selectors.adoption_reports(), pk=self.pk)

    def get(self, request, *args, **kwargs):
        self.load()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        a = self.adoption
        context.setdefault("form", HideForm())
        context.update(a=a, reporter=a.reported_by.get_display_name(), case_url=reverse("website:case", args=[a.case_id]),
                       back_url=safe_next(self.request, reverse("adoptions:index")))
        return context

    def post(self, request, *args, **kwargs):
        self.load()
        operation = request.POST.get("operation", "")
        if operation == "unhide":
            return self._run(lambda: adoptions.unhide_adoption(adoption_id=self.adoption.pk, by=request.user),
                             _("借鉴报告已恢复公开。"))
        if operation != "hide":
            messages.error(request, _("未知的操作。"))
            return self.redirect_here()
        form = HideForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        reason = form.cleaned_data["reason"].strip()
        if not self.is_confirmed():
            a = self.adoption
            return self.confirm(
                title=_("隐藏借鉴报告"),
                message=_("隐藏后，这份借鉴报告不再在案例页面和开放接口中显示；该地区可以重新报告。"),
                details=[(_("案例"), a.case.title), (_("报告地区"), a.region.full_name), (_("隐藏原因"), reason)],
                confirm_label=_("确认隐藏"), cancel_url=request.get_full_path(), destructive=True,
            )
        try:
            adoptions.hide_adoption(adoption_id=self.adoption.pk, by=request.user, reason=reason)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("reason", message)
            return self.render_to_response(self.get_context_data(form=form))
        except WorkflowError as exc:
            return self.refused(exc)
        messages.success(request, _("借鉴报告已隐藏。"))
        return HttpResponseRedirect(request.get_full_path())

    def _run(self, call, done: str):
        try:
            call()
        except WorkflowError as exc:
            return self.refused(exc)
        messages.success(self.request, done)
        return HttpResponseRedirect(safe_next(self.request, self.request.get_full_path()))
