"""公示与发布 (secretariat): open the notice for the campaign's shortlisted cases, follow the cases
in notice and their objections (异议), rule on an objection, and publish the batch — all through
`cases.notice`. Objectors' contact details appear only here, to the secretariat."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from wagtail.admin import messages

from audit.decorators import audited_download

from .. import notice, preview, selectors
from ..errors import WorkflowError
from ..models import Objection, ObjectionOutcome
from ..states import CaseStatus
from .common import AdminPage, CampaignDeskMixin, StaffOnlyMixin, refusal_messages
from .decision_forms import RulingForm


def _fmt(dt, campaign) -> str:
    return date_format(timezone.localtime(dt, campaign.tzinfo), "Y年n月j日 H:i") if dt else "—"


class NoticeView(CampaignDeskMixin, AdminPage):
    template_name = "cases/admin/desk/notice.html"
    header_icon = "doc-full"
    desk_section = "notice"

    def get_page_title(self):
        return _("公示与发布")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        counts = selectors.campaign_state_counts(campaign)
        in_notice = selectors.cases_in_notice_with_objections(campaign)
        now = timezone.now()
        objections = selectors.campaign_objections(campaign)
        context.update(
            counts=counts,
            shortlisted=counts.get(CaseStatus.SHORTLISTED, 0),
            in_notice=[
                {"case": c, "ends": timezone.localtime(c.notice_ends, campaign.tzinfo) if c.notice_ends else None,
                 "over": bool(c.notice_ends and c.notice_ends < now)}
                for c in in_notice
            ],
            objections=[
                {"o": o, "url": reverse("desk:objection", args=[o.pk]), "at": timezone.localtime(o.created_at, campaign.tzinfo)}
                for o in objections
            ],
            notice_days=campaign.notice_days,
        )
        return context

    def post(self, request, *args, **kwargs):
        operation = request.POST.get("operation", "")
        if operation == "open":
            return self._open(request)
        if operation == "publish":
            return self._publish(request)
        messages.error(request, _("未知的操作。"))
        return self.redirect_here()

    def _open(self, request):
        campaign = self.campaign
        shortlisted = list(selectors.cases_in_state(campaign, CaseStatus.SHORTLISTED))
        if not shortlisted:
            messages.info(request, _("该活动没有拟入选的案例，无需公示。"))
            return self.redirect_here()
        if not self.is_confirmed():
            starts, ends = notice.notice_window(campaign)
            seen = preview.outlook(cases=shortlisted, name="open_notice", by=request.user, notice_starts=starts, notice_ends=ends)
            return self.confirm(
                title=_("开始公示"),
                message=_("以下 %(n)d 个拟入选案例将进入公示，在公示页面向社会公开并接受异议：") % {"n": len(seen.changes)},
                details=[
                    (_("公示开始"), _fmt(starts, campaign)),
                    (_("公示结束"), _("%(at)s（北京时间，共 %(days)d 天）") % {"at": _fmt(ends, campaign), "days": campaign.notice_days}),
                ],
                items=[c.title for c in seen.changes], skipped=[(c.title, why) for c, why in seen.skips],
                warning=_("公示开始后不能撤回；公示期满且没有未处理的异议，才能发布。"),
                confirm_label=_("确认开始公示"), cancel_url=request.get_full_path(),
            )
        try:
            report = notice.open_notice(campaign=campaign, by=request.user)
        except WorkflowError as exc:
            return self.refused(exc)
        if report.done:
            ends = report.done[0].notice_ends
            messages.success(
                request, _("已有 %(n)d 个案例进入公示，公示至 %(at)s。") % {"n": len(report.done), "at": _fmt(ends, campaign)}
            )
        refusal_messages(request, report.refused, {})
        return self.redirect_here()

    def _publish(self, request):
        campaign = self.campaign
        cases = list(selectors.cases_in_state(campaign, CaseStatus.IN_NOTICE))
        if not cases:
            messages.info(request, _("没有公示中的案例。"))
            return self.redirect_here()
        if not self.is_confirmed():
            seen = preview.outlook(cases=cases, name="publish", by=request.user)
            return self.confirm(
                title=_("发布"),
                message=_("以下 %(n)d 个公示期已满、且没有未处理异议的案例将发布：") % {"n": len(seen.changes)},
                items=[c.title for c in seen.changes], skipped=[(c.title, why) for c, why in seen.skips],
                warning=_("发布后案例将在典型案例库中公开。"),
                confirm_label=_("确认发布（%(n)d 个）") % {"n": len(seen.changes)}, cancel_url=request.get_full_path(),
            )
        try:
            report = notice.publish_batch(campaign=campaign, by=request.user)
        except WorkflowError as exc:
            return self.refused(exc)
        if report.done:
            messages.success(request, _("已发布 %(n)d 个案例。") % {"n": len(report.done)})
        refusal_messages(request, report.refused, {})
        return self.redirect_here()


class ObjectionMixin(StaffOnlyMixin):
    def get_objection(self, pk: int) -> Objection:
        return get_object_or_404(selectors.objections_with_case(), pk=pk)


class ObjectionView(ObjectionMixin, AdminPage):
    template_name = "cases/admin/desk/objection.html"
    header_icon = "comment"

    def dispatch(self, request, pk: int, *args, **kwargs):
        self.pk = pk
        return super().dispatch(request, pk, *args, **kwargs)

    def get_page_title(self):
        return _("异议 %(ref)s") % {"ref": self.objection.reference}

    def get_page_subtitle(self):
        return self.objection.case.title

    def get_crumbs(self):
        campaign = self.objection.case.campaign
        return [(reverse("desk:index"), _("活动工作台")), (reverse("desk:dashboard", args=[campaign.pk]), campaign.title),
                (reverse("desk:notice", args=[campaign.pk]), _("公示与发布"))]

    def get(self, request, *args, **kwargs):
        self.objection = self.get_objection(self.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        o = self.objection
        campaign = o.case.campaign
        context.setdefault("form", RulingForm())
        context.update(
            objection=o, case=o.case, is_open=o.outcome == ObjectionOutcome.OPEN,
            created_at=timezone.localtime(o.created_at, campaign.tzinfo),
            ruled_at=timezone.localtime(o.ruled_at, campaign.tzinfo) if o.ruled_at else None,
            ruled_by=o.ruled_by.get_display_name() if o.ruled_by else "",
            evidence_url=reverse("desk:objection_evidence", args=[o.pk]) if o.evidence_id else "",
            notice_ends=timezone.localtime(o.case.notice_ends, campaign.tzinfo) if o.case.notice_ends else None,
            back_url=reverse("desk:notice", args=[campaign.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.objection = self.get_objection(self.pk)
        form = RulingForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        outcome, conclusion = form.cleaned_data["outcome"], form.cleaned_data["conclusion"].strip()
        if not self.is_confirmed():
            upheld = outcome == ObjectionOutcome.UPHELD
            return self.confirm(
                title=_("确认处理结果"),
                message=_("异议 %(ref)s（案例“%(title)s”）的处理结果：") % {"ref": self.objection.reference, "title": self.objection.case.title},
                details=[(_("处理结果"), ObjectionOutcome(outcome).label), (_("核查结论"), conclusion)],
                warning=_("异议成立后，该案例将被取消入选，且不能撤回。") if upheld else _("处理结果确定后不能修改，并将通过电子邮件告知异议人。"),
                confirm_label=_("确认"), cancel_url=request.get_full_path(), destructive=upheld,
            )
        try:
            notice.rule_objection(objection_id=self.objection.pk, by=request.user, outcome=outcome, conclusion=conclusion)
        except WorkflowError as exc:
            return self.refused(exc)
        messages.success(
            request, _("异议 %(ref)s 已处理：%(outcome)s。") % {"ref": self.objection.reference, "outcome": ObjectionOutcome(outcome).label}
        )
        return HttpResponseRedirect(request.get_full_path())


class ObjectionEvidenceView(ObjectionMixin, View):
    """The objector's evidence file, for the secretariat only (never a public document URL)."""

    @method_decorator(audited_download("cases.objection.evidence"))
    def get(self, request, pk: int):
        objection = self.get_objection(pk)
        doc = objection.evidence
        if doc is None:
            raise Http404
        content_type = mimetypes.guess_type(doc.file.name)[0] or "application/octet-stream"
        filename = f"{objection.reference}{'.' + doc.file_extension if doc.file_extension else ''}"
        response = FileResponse(doc.file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response
