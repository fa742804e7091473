"""The case's files page (图片与附件) and its workflow actions (confirm, then `workflow.transition`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .. import editing, permissions, preview, workflow
from ..models import Case
from ..validation import submission_problems
from ..workflow import WorkflowError
from . import display
from .common import raise_if_not_found, safe_next
from .forms import AttachmentUploadForm, ImageUploadForm, TransitionForm

NAMESPACE = "cases"


def case_url(name: str, case_id: int, *extra) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=(case_id, *extra))


class CaseObjectMixin:
    """Loads the case from what the user may see: anything else is a 404."""

    def get_case(self, pk: int) -> Case:
        qs = permissions.visible_cases(self.request.user).select_related("campaign", "region", "category")
        return get_object_or_404(qs, pk=pk)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{NAMESPACE}:index"), "label": _("案例")},
            {"url": case_url("inspect", self.case.pk), "label": str(self.case)},
            {"url": "", "label": self.get_page_title()},
        ]


class CaseFilesView(CaseObjectMixin, WagtailAdminTemplateMixin, TemplateView):
    """Upload and delete a case's images and attachments, through `cases.editing` only."""

    template_name = "cases/admin/case_files.html"
    header_icon = "image"

    def get_page_title(self):
        return _("图片与附件")

    def get_page_subtitle(self):
        return str(self.case)

    def dispatch(self, request, pk: int, *args, **kwargs):
        self.case = self.get_case(pk)
        if not permissions.can_edit_case(request.user, self.case):
            messages.warning(request, _("该案例当前不能由您修改，已为您打开案例详情。"))
            return HttpResponseRedirect(case_url("inspect", self.case.pk))
        return super().dispatch(request, pk, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("image_form", ImageUploadForm(prefix="image"))
        context.setdefault("attachment_form", AttachmentUploadForm(prefix="attachment"))
        context["case"] = self.case
        context["images"] = list(self.case.images.select_related("image"))
        context["attachments"] = list(self.case.attachments.select_related("document"))
        context["edit_url"] = case_url("edit", self.case.pk)
        context["problems"] = submission_problems(self.case)
        # Complete and still the submitter's to send: the 提交 button right here (the confirmation follows).
        if not context["problems"] and any(s.name == "submit" for s in workflow.available_transitions(self.case, self.request.user)):
            context["submit_url"] = case_url("transition", self.case.pk, "submit")
        return context

    def post(self, request, pk: int, *args, **kwargs):
        operation = request.POST.get("operation", "")
        handlers = {
            "upload-image": self._upload_image,
            "upload-attachment": self._upload_attachment,
            "delete-image": self._delete_image,
            "delete-attachment": self._delete_attachment,
        }
        handler = handlers.get(operation)
        if handler is None:
            messages.error(request, _("未知的操作。"))
            return HttpResponseRedirect(request.path)
        try:
            return handler(request)
        except WorkflowError as exc:
            raise_if_not_found(exc)
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)

    def _invalid(self, **forms):
        messages.error(self.request, _("上传未成功，请按提示修改后重新上传。"))
        for form in forms.values():
            # A browser never keeps a chosen file across a page load: say so where the file is chosen.
            what = _("图片文件") if isinstance(form, ImageUploadForm) else _("附件文件")
            again = _("请重新选择%(what)s：页面重新打开后，浏览器不会保留上次选择的文件。") % {"what": what}
            form.fields["file"].help_text = form["file"].help_text = again  # the bound field keeps its own copy
        return self.render_to_response(self.get_context_data(**forms), status=200)

    def _upload_image(self, request):
        form = ImageUploadForm(request.POST, request.FILES, prefix="image")
        if form.is_valid():
            try:
                editing.add_image(
                    case=self.case.pk, by=request.user, file=form.cleaned_data["file"],
                    alt=form.cleaned_data["alt"], is_cover=form.cleaned_data["is_cover"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("图片已上传。"))
                return HttpResponseRedirect(request.path)
        return self._invalid(image_form=form)

    def _upload_attachment(self, request):
        form = AttachmentUploadForm(request.POST, request.FILES, prefix="attachment")
        if form.is_valid():
            try:
                editing.add_attachment(
                    case=self.case.pk, by=request.user, file=form.cleaned_data["file"],
                    title=form.cleaned_data["title"], kind=form.cleaned_data["kind"],
                    public=form.cleaned_data["public"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("附件已上传。"))
                return HttpResponseRedirect(request.path)
        return self._invalid(attachment_form=form)

    def _item_id(self, request) -> int:
        try:
            return int(request.POST.get("item", ""))
        except ValueError:
            raise Http404 from None

    def _delete_image(self, request):
        editing.delete_image(case=self.case.pk, by=request.user, image_id=self._item_id(request))
        messages.success(request, _("图片已删除。"))
        return HttpResponseRedirect(request.path)

    def _delete_attachment(self, request):
        editing.delete_attachment(case=self.case.pk, by=request.user, attachment_id=self._item_id(request))
        messages.success(request, _("附件已删除。"))
        return HttpResponseRedirect(request.path)


def _apply_errors(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


class CaseTransitionView(CaseObjectMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirm a workflow action (with a reason where required), then perform it."""

    template_name = "cases/admin/case_transition.html"
    header_icon = "arrow-right-full"

    def get_page_title(self):
        return str(self.spec.label)

    def get_page_subtitle(self):
        return str(self.case)

    def dispatch(self, request, pk: int, name: str, *args, **kwargs):
        self.case = self.get_case(pk)
        self.spec = workflow.SPECS.get(name)
        if self.spec is None or name not in workflow.CASE_TRANSITIONS:
            raise Http404
        available = {s.name for s in workflow.available_transitions(self.case, request.user)}
        if name not in available:
            messages.error(
                request,
                _("案例当前状态为“%(state)s”，您不能执行“%(action)s”。")
                % {"state": self.case.get_status_display(), "action": self.spec.label},
            )
            return HttpResponseRedirect(case_url("inspect", self.case.pk))
        return super().dispatch(request, pk, name, *args, **kwargs)

    def back_url(self) -> str:
        """Where the user came from (e.g. the 推荐排序 page, via `?next=`), else the case page."""
        return safe_next(self.request, case_url("inspect", self.case.pk))

    def get_form(self, data=None) -> TransitionForm:
        return TransitionForm(
            data, reason_mode=self.spec.reason, initial={"expected_status": self.case.status}
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context["case"] = self.case
        context["spec"] = self.spec
        context["status_label"] = self.case.get_status_display()
        context["cancel_url"] = self.back_url()
        context["next_url"] = safe_next(self.request, "")
        if self.spec.name == "submit":
            context["problems"] = submission_problems(self.case)
            context["deadline"] = display.local_deadline(self.case)
        # Said before confirming, not after: what the transition would answer now (e.g. 完成评审
        # with scores missing); the page then offers no confirm button.
        context["refusal"] = preview.refusal(case=self.case.pk, name=self.spec.name, by=self.request.user)
        return context

    def post(self, request, pk: int, name: str, *args, **kwargs):
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            case = workflow.transition(
                case=self.case.pk, name=self.spec.name, by=request.user,
                reason=form.cleaned_data.get("reason", ""),
                expected_status=form.cleaned_data.get("expected_status") or None,
            )
        except WorkflowError as exc:
            raise_if_not_found(exc)
            messages.error(request, exc.message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("已完成“%(action)s”，案例当前状态：%(state)s。")
            % {"action": self.spec.label, "state": case.get_status_display()},
        )
        return HttpResponseRedirect(self.back_url())
