"""Assignment with conflicts and load balance; scoring with the rubric; automatic completion."""

from collections import Counter

import pytest

from cases import permissions, workflow
from cases.models import Case, ReviewAssignment, ReviewerPoolMember
from cases.review.assignment import auto_assign, declare_conflict
from cases.review.scoring import save_review
from tests import factories
from tests.factories import CampaignFactory
from tests.workflow_paths import bring_to

pytestmark = pytest.mark.django_db
PROVINCES = ["440100", "330100", "320100", "370100", "420100", "510100"]


def _pool(campaign, codes, cap=30):
    return [
        ReviewerPoolMember.objects.create(
            campaign=campaign, load_cap=cap,
            reviewer=factories.reviewer(code[:2] + "0000", username=f"r{i}-{code}", organisation=f"{code}研究院"),
        )
        for i, code in enumerate(codes)
    ]


def test_every_case_gets_k_reviewers_without_conflicts_and_balanced_load():
    campaign = CampaignFactory(reviewers_per_case=3)
    cases = [bring_to("eligible", campaign=campaign, region_code=PROVINCES[i % 6], title=f"案例{i}") for i in range(12)]
    _pool(campaign, ["440000", "330000", "320000", "370000", "420000", "510000", "110000"])
    report = auto_assign(campaign=campaign, by=factories.secretariat())
    assert report.ok, report.problems
    for case in cases:
        assigned = ReviewAssignment.objects.filter(case=case).select_related("reviewer__region")
        assert assigned.count() == 3
        assert all(a.reviewer.region.province_id != case.province_id for a in assigned)
    load = Counter(ReviewAssignment.objects.values_list("reviewer_id", flat=True))
    assert max(load.values()) - min(load.values()) <= 1
    again = auto_assign(campaign=campaign, by=factories.secretariat())
    assert again.created == [] and again.ok  # idempotent


def test_impossible_assignment_is_explained():
    campaign = CampaignFactory(reviewers_per_case=3)
    bring_to("eligible", campaign=campaign, region_code="440100", title="只有同省专家")
    _pool(campaign, ["440000", "110000"], cap=1)
    report = auto_assign(campaign=campaign, by=factories.secretariat())
    assert not report.ok
    assert "需要 3 位评审专家，只找到 1 位" in report.problems[0] and "回避" in report.problems[0]
    with pytest.raises(workflow.Forbidden):
        auto_assign(campaign=campaign, by=factories.submitter())


def test_declared_conflict_is_reassigned_and_hidden():
    campaign = CampaignFactory(reviewers_per_case=2)
    case = bring_to("eligible", campaign=campaign)
    _pool(campaign, ["110000", "310000", "420000"])
    auto_assign(campaign=campaign, by=factories.secretariat())
    first = ReviewAssignment.objects.filter(case=case).first()
    reviewer = first.reviewer
    workflow.transition(case=case, name="start_review", by=factories.secretariat())
    assert permissions.can_view_case(reviewer, case)
    with pytest.raises(workflow.GuardFailed):
        declare_conflict(assignment_id=first.pk, by=reviewer, reason=" ")
    report = declare_conflict(assignment_id=first.pk, by=reviewer, reason="曾参与该项目指导")
    assert len(report.created) == 1
    assert ReviewAssignment.objects.filter(case=case).exclude(status="conflict").count() == 2
    assert not permissions.can_view_case(reviewer, case)


def test_scoring_bounds_finality_and_automatic_completion():
    campaign = CampaignFactory(reviewers_per_case=2)
    case = bring_to("in_review", campaign=campaign)
    a, b = ReviewAssignment.objects.filter(case=case).select_related("reviewer")
    with pytest.raises(workflow.GuardFailed, match="0 到 25"):
        save_review(assignment_id=a.pk, by=a.reviewer, scores={"innovation": 26})
    with pytest.raises(workflow.GuardFailed, match="未知的评分项"):
        save_review(assignment_id=a.pk, by=a.reviewer, scores={"beauty": 5})
    with pytest.raises(workflow.GuardFailed, match="请为以下各项打分"):
        save_review(assignment_id=a.pk, by=a.reviewer, scores={"innovation": 20}, final=True)
    with pytest.raises(workflow.NotFound):
        save_review(assignment_id=a.pk, by=b.reviewer, scores={"innovation": 20})  # not theirs
    draft = save_review(assignment_id=a.pk, by=a.reviewer, scores={"innovation": 20}, comment="待补充")
    assert draft.status == "draft" and draft.total is None
    full = {"innovation": 20, "effectiveness": 25, "replicability": 20, "leadership": 15}
    assert save_review(assignment_id=a.pk, by=a.reviewer, scores=full, final=True).total == 80
    with pytest.raises(workflow.InvalidState, match="不能再修改"):
        save_review(assignment_id=a.pk, by=a.reviewer, scores=full)
    assert Case.objects.get(pk=case.pk).status == "in_review"
    save_review(assignment_id=b.pk, by=b.reviewer, scores=full, final=True)
    case = Case.objects.get(pk=case.pk)
    assert case.status == "reviewed"
    last = case.history.last()
    assert last.transition == "complete_review" and last.by is None and "自动" in last.reason


def test_start_review_needs_the_campaigns_number_of_reviewers():
    campaign = CampaignFactory(reviewers_per_case=2)
    case = bring_to("eligible", campaign=campaign)
    with pytest.raises(workflow.GuardFailed, match="需要分配 2 位评审专家，目前只有 0 位"):
        workflow.transition(case=case, name="start_review", by=factories.secretariat())
