"""The score sheet and the ranking as .xlsx: one row per case, one column per reviewer and criterion."""

from __future__ import annotations

from django.utils.translation import gettext as _

import audit

from ..exports import workbook_bytes
from ..models import Campaign, ReviewAssignment, ReviewStatus
from .ranking import ranking


def _fmt(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


def score_sheet(*, campaign: Campaign, by, category_code: str | None = None) -> bytes:
    rows = ranking(campaign=campaign, by=by, category_code=category_code)  # refuses non-staff
    audit.record("export", user=by, obj=campaign, details={"export": "score_sheet", "category": category_code or ""})
    rubric = list(campaign.rubric.all())
    assignments = (
        ReviewAssignment.objects.filter(case__in=[r.case for r in rows])
        .exclude(status=ReviewStatus.CONFLICT)
        .select_related("reviewer")
        .order_by("case_id", "reviewer_id")
    )
    by_case: dict[int, list[ReviewAssignment]] = {}
    for a in assignments:
        by_case.setdefault(a.case_id, []).append(a)
    width = max((len(v) for v in by_case.values()), default=0)
    headers = [_("排名"), _("案例编号"), _("案例名称"), _("所属地区"), _("征集方向"), _("状态"), _("入选等级"),
               _("评分份数"), _("平均分"), _("去极值平均分"), _("标准化得分"), _("最低分"), _("最高分"), _("标准差"), _("分歧较大")]
    for i in range(1, width + 1):
        headers += [_("专家%(n)d") % {"n": i}] + [f"{_('专家%(n)d') % {'n': i}}·{c.name}" for c in rubric]
        headers += [_("专家%(n)d总分") % {"n": i}, _("专家%(n)d意见") % {"n": i}]

    def row(r):
        out = [r.rank or "", r.case.pk, r.case.title, r.case.region.full_name,
               r.case.category.title if r.case.category else "", r.case.get_status_display(),
               r.case.tier.title if r.case.tier else "", r.n_scores, _fmt(r.mean), _fmt(r.trimmed_mean),
               _fmt(r.normalised), _fmt(r.minimum), _fmt(r.maximum), _fmt(r.stdev), _("是") if r.disagreement else ""]
        for a in by_case.get(r.case.pk, []):
            out += [a.reviewer.get_display_name()]
            out += [a.scores.get(c.code, "") for c in rubric]
            out += [a.total if a.total is not None else "", a.comment]
        return out

    return workbook_bytes(_("评分汇总"), headers, (row(r) for r in rows), heading=_("%(t)s · 专家评分汇总表") % {"t": campaign.title})
