"""What a viewer may read of a report (docs/similarity.md, "Who sees what").

Figures always count every source; a source case the viewer may not open (cases.permissions)
is listed without its id, title, state or its own positions, as "其他省份未公开案例".
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import permissions
from cases.models import Case

from .models import Report

RATIO_FIELDS = (
    "total_ratio", "max_single_ratio", "ratio_excluding_own", "ratio_excluding_policy", "ratio_other_units",
)


def latest_report(case: Case | int) -> Report | None:
    case_id = case.pk if isinstance(case, Case) else case
    return Report.objects.filter(case_id=case_id).order_by("-pk").first()


def latest_reports(case_ids) -> dict[int, Report]:
    """The newest report of each case (lists: the formal-check desk, its export)."""
    found: dict[int, Report] = {}
    for report in Report.objects.filter(case_id__in=list(case_ids)).order_by("case_id", "-pk"):
        found.setdefault(report.case_id, report)
    return found


def similarity_sort_key(report: Report | None) -> tuple:
    """Most copied first (他单位案例复制比, then 总文字复制比); pending and unchecked last."""
    if report is None or report.status != "ready":
        return (1, 0.0, 0.0)
    return (0, -report.ratio_other_units, -report.total_ratio)


def _passage(text: str, passage: list[int], shown: bool) -> dict:
    start, end, source_start, source_end = passage
    return {
        "text": text[start:end], "start": start, "end": end,
        "source_start": source_start if shown else None, "source_end": source_end if shown else None,
    }


def sources_view(user, text: str, sources: list) -> list[dict]:
    """Sources (stored ReportSource rows or a self-check's engine.SourceResult: the same
    attributes) as `user` may read them."""
    visible = permissions.visible_case_ids(user, {s.case_id for s in sources if s.case_id})
    statuses = {
        pk: (status, str(Case(status=status).get_status_display()))
        for pk, status in Case.objects.filter(pk__in=visible).values_list("pk", "status")
    }
    out = []
    for index, source in enumerate(sources):
        shown = source.kind == "policy" or (source.case_id is not None and source.case_id in visible)
        status = statuses.get(source.case_id) if shown and source.case_id else None
        out.append({
            "index": index,
            "id": getattr(source, "pk", None),
            "case": source.case_id if shown else None,
            "title": source.title if shown else _("其他省份未公开案例"),
            "kind": source.kind,
            "same_organisation": source.same_organisation,
            "ratio": source.ratio,
            "status": status[0] if status else None,
            "status_label": status[1] if status else None,
            "passages": [_passage(text, p, shown) for p in source.passages],
        })
    return out


def report_view(user, report: Report) -> dict:
    """The report as `user` may read it (the API's shape; the admin pages render the same dict)."""
    view = {
        "status": report.status, "checked_at": report.checked_at, "version": report.version,
        "flagged": report.flagged, "same_organisation_flagged": report.same_organisation_flagged,
        "min_run": report.min_run, "threshold": report.threshold / 100,
        **{name: getattr(report, name) for name in RATIO_FIELDS},
        "sources": [],
    }
    if report.status == "ready":
        view["sources"] = sources_view(user, report.text, list(report.sources.all()))
    return view


def result_view(user, result) -> dict:
    """A self-check's result (nothing stored) in the same shape."""
    return {
        "status": "ready", "checked_at": timezone.now(), "version": 0,
        "flagged": result.flagged, "same_organisation_flagged": result.same_organisation_flagged,
        "min_run": result.min_run, "threshold": result.threshold / 100,
        **{name: getattr(result, name) for name in RATIO_FIELDS},
        "sources": sources_view(user, result.text, result.sources),
    }


def case_links(user, case: Case) -> list[dict]:
    """The 查重 buttons of a case page: the report (secretariat, the province's recommender) or
    自查 (the submitter, while it can edit the case)."""
    links = []
    if case.status != "draft" and permissions.can_view_similarity(user, case):
        report = latest_report(case)
        label = _("查重报告")
        if report is not None and report.status == "ready":
            label = _("查重报告（总文字复制比 %(r).1f%%）") % {"r": report.total_ratio * 100}
        links.append({"label": label, "url": reverse("similarity:report", args=[case.pk]),
                      "flagged": bool(report and report.flagged)})
    if permissions.can_self_check(user, case):
        links.append({"label": _("自查"), "url": reverse("similarity:self_check", args=[case.pk]), "flagged": False})
    return links
