"""Case list, create, edit and detail views: thin wrappers around workflow/editing/permissions.

Objects come only from `permissions.visible_cases` / `working_cases`, so a case the user may
not see is a 404 (never a 403) whatever URL is guessed.
"""

from __future__ import annotations

from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button, HeaderButton

from .. import case_fields, editing, extensions, permissions, workflow
from ..models import Case
from ..review.feedback import anonymised_comments
from ..validation import submission_problems
from ..workflow import WorkflowError
from . import display
from .columns import CaseStatusColumn, CaseTitleColumn, DateTimeColumn, TextColumn, category_title, region_name
from .common import raise_if_not_found
from .decision_forms import extension_form


class CaseUrlsMixin:
    """URL names of the case viewset, shared by every case view."""

    url_namespace = "cases"

    @classmethod
    def url_namespace_name(cls, name: str) -> str:
        return f"{cls.url_namespace}:{name}"

    def case_url(self, name: str, case, *extra) -> str:
        return reverse(self.url_namespace_name(name), args=(quote(case.pk), *extra))


class CaseIndexView(CaseUrlsMixin, generic.IndexView):
    any_permission_required = ["view"]
    default_ordering = "-updated_at"
    page_title = gettext_lazy("案例")

    # The list shows none of the case's long texts (~2 kB a row): they are not loaded.
    LONG_TEXTS = case_fields.LONG_TEXTS

    def get_base_queryset(self):
        return (
            permissions.working_cases(self.request.user)
            .select_related("campaign", "category", "region", "region__province")
            .defer(*self.LONG_TEXTS)
        )

    @cached_property
    def columns(self):
        return [
            CaseTitleColumn(
                "title", label=Case._meta.get_field("title").verbose_name, sort_key="title",
                get_url=lambda case: self.get_edit_url(case) or self.get_inspect_url(case),
                get_inspect_url=self.get_inspect_url,
            ),
            TextColumn("region", label=gettext_lazy("所属地区"), accessor=region_name, sort_key="region"),
            TextColumn("campaign", label=gettext_lazy("征集活动"), accessor="campaign"),
            TextColumn("category", label=gettext_lazy("征集方向"), accessor=category_title),
            CaseStatusColumn("status", label=gettext_lazy("状态"), sort_key="status"),
            DateTimeColumn("updated_at", label=gettext_lazy("更新时间"), sort_key="updated_at"),
        ]

    def get_edit_url(self, instance):
        if permissions.can_edit_case(self.request.user, instance):
            return self.case_url("edit", instance)
        return None

    def get_inspect_url(self, instance):
        return self.case_url("inspect", instance)

    def get_delete_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None

    @cached_property
    def add_item_label(self):
        return _("新建案例")


class CaseFormMixin(CaseUrlsMixin):
    """Shared by create and edit: the services do the write; errors go back onto the form."""

    template_name = "cases/admin/case_form.html"
    submit_button_label = gettext_lazy("保存草稿")
    submit_button_active_label = gettext_lazy("正在保存…")
    produced_error_message = None

    def save_instance(self):  # pragma: no cover - each view defines it
        raise NotImplementedError

    def form_valid(self, form):
        self.form = form
        try:
            self.object = self.save_instance()
        except ValidationError as exc:
            form.apply_service_errors(exc)
            self.produced_error_message = _("草稿未能保存，请按提示修改后再保存。")
            return self.form_invalid(form)
        except WorkflowError as exc:
            raise_if_not_found(exc)
            self.produced_error_message = exc.message
            return self.form_invalid(form)
        messages.success(self.request, _("草稿已保存。"))
        return redirect(self.get_success_url())

    def get_error_message(self):
        return _("草稿未能保存，请按提示修改后再保存；您填写的内容都还在。")

    def get_success_url(self):
        if "action-files" in self.request.POST:
            return self.case_url("files", self.object)
        if "action-submit" in self.request.POST:
            return self.case_url("transition", self.object, "submit")
        return self.case_url("edit", self.object) + "?saved=1"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A bound form is only rendered when saving failed (success redirects).
        context["form_has_errors"] = self.form.is_bound
        context["error_summary"] = self.form.error_summary() if self.form.is_bound else []
        context["open_campaign_deadlines"] = display.campaign_deadlines()
        context["case_form_config"] = {
            "key": self.local_draft_key(),
            "newKey": self.local_draft_key(new=True),
            "serverUpdatedAt": self.server_updated_at(),
            "hasErrors": context["form_has_errors"],
            "justSaved": self.request.GET.get("saved") == "1",
        }
        return context

    def local_draft_key(self, new: bool = False) -> str:
        """The browser-side (localStorage) key of this form's unsaved copy."""
        case = None if new else getattr(self, "object", None)
        suffix = str(case.pk) if case is not None and case.pk else "new"
        return f"casebook:case-form:{self.request.user.pk}:{suffix}"

    def server_updated_at(self) -> int:
        """When the stored case last changed, in epoch milliseconds (0 for a new case)."""
        case = getattr(self, "object", None)
        if case is not None and case.pk:
            return int(case.updated_at.timestamp() * 1000)
        return 0


class CaseCreateView(CaseFormMixin, generic.CreateView):
    page_title = gettext_lazy("新建案例")

    def get_page_subtitle(self):
        return _("新建案例")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.url_namespace_name("index")), "label": _("案例")},
            {"url": "", "label": _("新建案例")},
        ]

    def save_instance(self):
        values = self.form.case_values()
        campaign, title, region = values.pop("campaign"), values.pop("title"), values.pop("region")
        return workflow.create_draft(
            by=self.request.user, campaign=campaign, title=title, region=region,
            indicators=self.form.indicator_rows(), **values,
        )


class CaseEditView(CaseFormMixin, generic.EditView):
    permission_required = None
    history_url_name = None
    usage_url_name = None
    copy_url_name = None

    def get_queryset(self):
        return permissions.visible_cases(self.request.user).select_related("campaign", "region")

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not permissions.can_edit_case(request.user, self.object):
            messages.warning(request, _("该案例当前不能由您修改，已为您打开案例详情。"))
            return HttpResponseRedirect(self.case_url("inspect", self.object))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def save_instance(self):
        values = self.form.case_values()
        values.pop("campaign", None)
        return editing.update_case(
            case=self.object.pk, by=self.request.user, data=values, indicators=self.form.indicator_rows()
        )

    def get_page_subtitle(self):
        return str(self.object)

    @cached_property
    def can_delete(self):
        return False

    @cached_property
    def header_more_buttons(self):
        return [
            Button(_("查看详情与操作"), url=self.case_url("inspect", self.object), icon_name="info-circle", priority=10),
            Button(_("图片与附件"), url=self.case_url("files", self.object), icon_name="image", priority=20),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        context["case"] = case
        context["problems"] = submission_problems(case)
        context["deadline"] = display.local_deadline(case)
        context["can_submit"] = any(s.name == "submit" for s in workflow.available_transitions(case, self.request.user))
        context["returned"] = display.latest_return(case)
        return context


class CaseInspectView(CaseUrlsMixin, generic.InspectView):
    """The read-only case page for every role that may see it, with the actions available now."""

    template_name = "cases/admin/case_inspect.html"
    any_permission_required = ["view"]

    def get_object(self, queryset=None):
        qs = permissions.visible_cases(self.request.user).select_related(
            "campaign", "category", "region", "region__province", "tier", "created_by"
        )
        return get_object_or_404(qs, pk=self.pk)

    def get_fields(self):
        return []

    def get_page_title(self):
        return _("案例详情")

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.url_namespace_name("index")), "label": _("案例")},
            {"url": "", "label": str(self.object)},
        ]

    @cached_property
    def header_buttons(self):
        buttons = []
        if permissions.can_edit_case(self.request.user, self.object):
            buttons.append(HeaderButton(_("编辑"), url=self.case_url("edit", self.object), icon_name="edit"))
        return buttons

    @cached_property
    def header_more_buttons(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        context.update(display.case_detail_context(case, user))
        context["actions"] = [
            {"spec": spec, "url": self.case_url("transition", case, spec.name)}
            for spec in workflow.available_transitions(case, user)
        ]
        context["can_edit"] = permissions.can_edit_case(user, case)
        context["similarity_links"] = extensions.similarity.case_links(user, case)
        context["review_comments"] = anonymised_comments(case=case, user=user)
        context["now"] = timezone.now()
        if context.get("can_extend"):
            context["extension_form"] = extension_form(case)
        return context
