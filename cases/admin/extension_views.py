"""延期: the secretariat gives one draft or returned case its own deadline (`workflow.grant_extension`)."""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.admin import messages

from .. import permissions, workflow
from ..errors import WorkflowError
from . import display
from .common import AdminPage, raise_if_not_found
from .decision_forms import extension_form


class CaseExtensionView(AdminPage):
    template_name = "cases/admin/case_extension.html"
    header_icon = "time"

    def dispatch(self, request, pk: int, *args, **kwargs):
        qs = permissions.visible_cases(request.user).select_related("campaign", "region")
        self.case = get_object_or_404(qs, pk=pk)
        if not permissions.is_staff_role(request.user):
            raise Http404
        return super().dispatch(request, pk, *args, **kwargs)

    def get_page_title(self):
        return _("延长申报截止时间")

    def get_page_subtitle(self):
        return str(self.case)

    def get_crumbs(self):
        return [(reverse("cases:index"), _("案例")), (reverse("cases:inspect", args=[self.case.pk]), str(self.case))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", extension_form(self.case))
        context.update(
            case=self.case, deadline=display.local_deadline(self.case),
            can_extend=permissions.can_grant_extension(self.request.user, self.case),
            cancel_url=reverse("cases:inspect", args=[self.case.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = extension_form(self.case, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            case = workflow.grant_extension(
                case=self.case.pk, by=request.user, deadline=form.cleaned_data["deadline"],
                reason=form.cleaned_data["reason"].strip(),
            )
        except WorkflowError as exc:
            raise_if_not_found(exc)
            form.add_error(None, exc.message)
            return self.render_to_response(self.get_context_data(form=form))
        local = timezone.localtime(case.deadline_extension, case.campaign.tzinfo)
        messages.success(request, _("已将该案例的申报截止时间延长至 %(at)s（北京时间）。") % {"at": date_format(local, "Y年n月j日 H:i")})
        return HttpResponseRedirect(reverse("cases:inspect", args=[case.pk]))
