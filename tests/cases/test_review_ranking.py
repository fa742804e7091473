import pytest

from cases import workflow
from cases.models import ReviewAssignment
from cases.review.ranking import ranking
from cases.review.scoring import save_review
from tests import factories
from tests.factories import CampaignFactory
from tests.workflow_paths import bring_to

pytestmark = pytest.mark.django_db


def _score(case, totals):
    """Give each assigned reviewer (in order) the rubric split that sums to `total`."""
    for assignment, total in zip(ReviewAssignment.objects.filter(case=case).order_by("reviewer_id").select_related("reviewer"), totals, strict=True):
        rest = total
        scores = {}
        for code, mx in (("innovation", 25), ("effectiveness", 30), ("replicability", 25), ("leadership", 20)):
            scores[code] = min(mx, rest)
            rest -= scores[code]
        save_review(assignment_id=assignment.pk, by=assignment.reviewer, scores=scores, final=True)


def test_ranking_by_method_with_spread_and_disagreement():
    campaign = CampaignFactory(reviewers_per_case=2, aggregation="mean")
    a = bring_to("in_review", campaign=campaign, title="甲")
    b = bring_to("in_review", campaign=campaign, title="乙")
    c = bring_to("in_review", campaign=campaign, title="丙")
    _score(a, [90, 40])  # mean 65, spread 50 > 20 → disagreement
    _score(b, [70, 60])  # mean 65 → tie with 甲
    _score(c, [80, 80])  # mean 80
    sec = factories.secretariat()
    rows = ranking(campaign=campaign, by=sec)
    assert [(r.case.title, r.rank, r.mean) for r in rows] == [("丙", 1, 80), ("甲", 2, 65), ("乙", 2, 65)]
    by_title = {r.case.title: r for r in rows}
    assert by_title["甲"].disagreement and not by_title["乙"].disagreement
    assert (by_title["甲"].minimum, by_title["甲"].maximum, by_title["甲"].stdev) == (40, 90, 25)
    assert by_title["甲"].trimmed_mean is None  # fewer than 5 totals
    with pytest.raises(workflow.Forbidden):
        ranking(campaign=campaign, by=factories.reviewer())
