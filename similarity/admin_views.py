"""The admin's 查重 pages: a case's report, one source side by side, the PDF, and the
submitter's 自查. Thin: `cases.permissions` decides who sees what, services and selectors do
the work; what a viewer may not see is answered with a 404, as elsewhere in the admin."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from cases import permissions
from cases.admin.common import AdminPage
from cases.errors import WorkflowError
from cases.models import Case

from . import printing, selectors, services
from .align import SourceIndex
from .corpus import current
from .highlight import pieces
from .models import PolicyText, Report, ReportSource
from .normalise import normalise
from .texts import CHECKED_FIELDS, case_text


class CaseReportMixin:
    """A case the viewer may see and whose report it may read (else 404)."""

    def dispatch(self, request, pk: int, *args, **kwargs):
        case = permissions.visible_cases(request.user).select_related("campaign", "region").filter(pk=pk).first()
        if case is None or not permissions.can_view_similarity(request.user, case):
            raise Http404
        self.case = case
        return super().dispatch(request, pk, *args, **kwargs)

    def get_crumbs(self):
        return [(reverse("cases:inspect", args=[self.case.pk]), self.case.title)]


class ReportView(CaseReportMixin, AdminPage):
    template_name = "similarity/report.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return _("查重报告")

    def get_page_subtitle(self):
        return self.case.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = selectors.latest_report(self.case)
        context.update(
            case=self.case, report=report, view=selectors.report_view(self.request.user, report) if report else None,
            can_rerun=permissions.can_rerun_similarity(self.request.user) and self.case.status != "draft",
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.rerun(case_id=self.case.pk, by=request.user)
        except WorkflowError as exc:
            return self.refused(exc)
        messages.success(request, _("已重新提交查重，完成后本页显示新的结果。"))
        return self.redirect_here()


def _source_text(source: ReportSource) -> str | None:
    if source.kind == "policy":
        policy = PolicyText.objects.filter(pk=source.policy_id).first()
        return policy.text if policy else None
    case = Case.objects.filter(pk=source.case_id).first()
    return case_text(case) if case else None


class SourceView(CaseReportMixin, AdminPage):
    """One source beside the checked text, passages highlighted on both sides. The source is
    aligned again now (it may have been edited since the check); a source the viewer may not
    open is not shown, only the checked text's passages."""

    template_name = "similarity/source.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return _("查重对照")

    def get_crumbs(self):
        return super().get_crumbs() + [(reverse("similarity:report", args=[self.case.pk]), _("查重报告"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report: Report | None = selectors.latest_report(self.case)
        source = report and report.sources.filter(pk=self.kwargs["source_id"]).first()
        if source is None:
            raise Http404
        shown = selectors.sources_view(self.request.user, report.text, [source])[0]
        context.update(case=self.case, report=report, source=shown)
        visible = shown["case"] is not None or source.kind == "policy"
        source_text = _source_text(source) if visible else None
        if source_text is None:
            spans = [(p["start"], p["end"]) for p in shown["passages"]]
            context.update(left=pieces(report.text, spans), right=None)
            return context
        checked, other = normalise(report.text), normalise(source_text)
        runs = SourceIndex(other.text, report.min_run).align(checked.text)
        context.update(
            left=pieces(report.text, [checked.original_span(r.start, r.end) for r in runs]),
            right=pieces(source_text, [other.original_span(r.source_start, r.source_end) for r in runs]),
            source_url=reverse("cases:inspect", args=[source.case_id]) if source.case_id and visible else "",
        )
        return context


class ReportPdfView(CaseReportMixin, AdminPage):
    def get(self, request, *args, **kwargs):
        report = selectors.latest_report(self.case)
        if report is None or report.status != "ready":
            messages.error(request, _("查重尚未完成，请稍后再下载报告。"))
            return HttpResponseRedirect(reverse("similarity:report", args=[self.case.pk]))
        data = printing.report_pdf(case=self.case, view=selectors.report_view(request.user, report))
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="similarity-{self.case.pk}.pdf"'
        return response


class SelfCheckView(AdminPage):
    """自查: the submitter checks its editable case against published cases and policy texts."""

    template_name = "similarity/self_check.html"
    header_icon = "search"

    def dispatch(self, request, pk: int, *args, **kwargs):
        case = permissions.visible_cases(request.user).select_related("campaign").filter(pk=pk).first()
        if case is None or not permissions.can_self_check(request.user, case):
            raise Http404
        self.case = case
        return super().dispatch(request, pk, *args, **kwargs)

    def get_page_title(self):
        return _("自查")

    def get_page_subtitle(self):
        return self.case.title

    def get_crumbs(self):
        return [(reverse("cases:inspect", args=[self.case.pk]), self.case.title)]

    def post(self, request, *args, **kwargs):
        values = {name: getattr(self.case, name) for name in (*CHECKED_FIELDS, "organisation")}
        try:
            result = services.self_check(by=request.user, values=values, case=self.case)
        except WorkflowError as exc:
            return self.refused(exc)
        context = self.get_context_data(**kwargs)
        context["view"] = selectors.result_view(request.user, result)
        context["left"] = pieces(result.text, [(p[0], p[1]) for s in result.sources for p in s.passages])
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["case"] = self.case
        context["policy_count"] = len(current(self.case.campaign.similarity_min_run).entries)
        return context
