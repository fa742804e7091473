"""The secretariat's ranking: per case the three aggregations, spread, disagreement and rank."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .. import case_fields, permissions
from ..errors import Forbidden
from ..models import Campaign, Case, ReviewAssignment, ReviewStatus
from . import aggregation

# Reviewers "disagree strongly" when their totals span more than this share of the rubric total.
DISAGREEMENT_SHARE = 0.2
UNUSED_TEXT = case_fields.LONG_TEXTS
RANKED_STATES = ("in_review", "reviewed", "shortlisted", "not_selected", "in_notice", "published", "disqualified")


@dataclass
class RankingRow:
    case: Case
    n_scores: int
    mean: float | None
    trimmed_mean: float | None
    normalised: float | None
    minimum: float | None
    maximum: float | None
    stdev: float | None
    disagreement: bool
    rank: int | None = None

    def score(self, method: str) -> float | None:
        return getattr(self, method)


def ranking(*, campaign: Campaign, by, category_code: str | None = None) -> list[RankingRow]:
    """Rows ordered by the campaign's aggregation method (ties share a rank; unscored last)."""
    if not permissions.is_staff_role(by):
        raise Forbidden(_("只有组织方可以查看评分和排名。"))
    finals = list(
        ReviewAssignment.objects.filter(case__campaign=campaign, status=ReviewStatus.FINAL, total__isnull=False)
        .values_list("case_id", "reviewer_id", "total")
    )
    totals: dict[int, list[float]] = defaultdict(list)
    for case_id, _reviewer, total in finals:
        totals[case_id].append(total)
    normalised = aggregation.normalised(
        (aggregation.Review(c, r, t) for c, r, t in finals), rubric_total=campaign.rubric_total or 100
    )
    # The ranking shows titles, states and regions, never the case texts: with thousands of
    # cases those would be most of what is read.
    cases = (
        Case.objects.filter(campaign=campaign, status__in=RANKED_STATES)
        .select_related("tier", "category", "region")
        .defer(*UNUSED_TEXT)
    )
    if category_code:
        cases = cases.filter(category__code=category_code)
    threshold = (campaign.rubric_total or 100) * DISAGREEMENT_SHARE
    rows = []
    for case in cases:
        ts = totals.get(case.pk, [])
        low, high, sd = aggregation.spread(ts)
        rows.append(
            RankingRow(
                case=case, n_scores=len(ts), mean=aggregation.mean(ts), trimmed_mean=aggregation.trimmed_mean(ts),
                normalised=normalised.get(case.pk), minimum=low, maximum=high, stdev=sd,
                disagreement=bool(ts) and (high - low) > threshold,
            )
        )
    ranks = aggregation.competition_ranks({row.case.pk: row.score(campaign.aggregation) for row in rows})
    for row in rows:
        row.rank = ranks[row.case.pk]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.case.pk))
    return rows
