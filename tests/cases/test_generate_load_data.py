"""`generate_load_data` and the workflow's bulk path: the data obeys every rule of the lifecycle."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_fsm import RETURN_VALUE

from cases import nomination, workflow
from cases.loadgen.generate import generate
from cases.models import Case, CaseTransition, NominationLock, ReviewAssignment, ReviewStatus
from cases.workflow_bulk import BulkPlanError, Plan, Review, Step, create_many
from search.query import SearchQuery
from search.service import search_cases
from tests import factories, workflow_paths

pytestmark = pytest.mark.django_db

N_CASES, N_PUBLISHED = 300, 40


def lifecycle_edges() -> set[tuple[str, str, str]]:
    """(transition, from, to) of every edge of the FSM graph (cases/models/lifecycle.py)."""
    edges = set()
    for t in Case._meta.get_field("status").get_all_transitions(Case):
        targets = t.target.allowed_states if isinstance(t.target, RETURN_VALUE) else [t.target]
        for target in targets:
            edges.add((t.name, t.source, target))
    return edges


@pytest.fixture
def report():
    return generate(n_cases=N_CASES, n_published=N_PUBLISHED, log=lambda message: None)


def test_load_data_obeys_the_lifecycle(report):
    cases = {c.pk: c for c in Case.objects.select_related("campaign", "category")}
    # Counts per state, as reported and as stored.
    assert len(cases) == N_CASES
    stored = Counter(c.status for c in cases.values())
    assert stored == report.by_state
    assert stored["published"] == N_PUBLISHED
    for slug, counts in report.by_campaign.items():
        assert Counter(c.status for c in cases.values() if c.campaign.slug == slug) == counts
    assert {"draft", "submitted", "recommended", "returned", "withdrawn", "rejected", "eligible", "in_review",
            "reviewed", "not_selected", "in_notice", "published"} <= set(stored)
    assert len({c.province_id for c in cases.values()}) >= 20

    # Every history is a path through the FSM graph that ends in the case's state.
    edges = lifecycle_edges()
    history = defaultdict(list)
    for record in CaseTransition.objects.order_by("at", "pk"):
        history[record.case_id].append(record)
    assert sum(len(h) for h in history.values()) == report.transitions
    for pk, case in cases.items():
        records = history[pk]
        assert (records[0].transition, records[0].from_state, records[0].to_state) == ("create", "", "draft")
        for before, record in zip(records, records[1:], strict=False):
            assert record.from_state == before.to_state
            assert (record.transition, record.from_state, record.to_state) in edges, record
            assert record.at >= before.at
        assert records[-1].to_state == case.status
        assert case.updated_at == records[-1].at and case.created_at == records[0].at
        submits = [r for r in records if r.transition == "submit"]
        assert case.submitted_at == (submits[-1].at if submits else None)
        if case.status == "published":
            assert case.published_at == records[-1].at


def test_ranks_are_contiguous_within_quota(report):
    places = defaultdict(list)
    for case in Case.objects.select_related("campaign", "category"):
        if case.status in nomination.COUNTED_STATES:
            places[(case.campaign, case.province_id, case.category.code)].append(case.nomination_rank)
        else:
            assert case.nomination_rank is None
    assert places
    for (campaign, province, code), ranks in places.items():
        assert sorted(ranks) == list(range(1, len(ranks) + 1))
        assert len(ranks) <= campaign.quota_for(province, code)
    locks = set(NominationLock.objects.values_list("campaign_id", "province_id", "category_code"))
    assert {(c.pk, p, code) for c, p, code in places} <= locks


def test_reviews_respect_conflicts_and_the_campaigns_numbers(report):
    assignments = defaultdict(list)
    for a in ReviewAssignment.objects.select_related("reviewer__region", "case__campaign"):
        assert a.reviewer.region.province_code != a.case.province_id
        assignments[a.case].append(a)
    assert assignments
    for case, rows in assignments.items():
        assert len(rows) == case.campaign.reviewers_per_case
        assert len({a.reviewer_id for a in rows}) == len(rows)
        finals = [a for a in rows if a.status == ReviewStatus.FINAL]
        if case.status == "in_review":
            assert len(finals) < len(rows)
        else:
            assert len(finals) == len(rows)
            assert all(a.total == sum(a.scores.values()) for a in finals)
    reviewed = Case.objects.filter(status__in=["in_review", "reviewed", "not_selected", "in_notice", "published"])
    assert set(reviewed) <= set(assignments)


def test_published_cases_are_searchable(report):
    assert search_cases(SearchQuery()).total == N_PUBLISHED
    case = Case.objects.filter(status="published").order_by("pk").first()
    project = case.title.split("“")[1].split("”")[0]
    hits = search_cases(SearchQuery(q=project, page_size=50))
    assert case.pk in [h.case_id for h in hits.hits]
    hits = search_cases(SearchQuery(q="数字", page_size=50)).hits
    assert hits and set(Case.objects.filter(pk__in=[h.case_id for h in hits]).values_list("status", flat=True)) == {
        "published"
    }


def test_the_command_reports_and_refuses_a_second_run():
    out = StringIO()
    call_command("generate_load_data", cases=40, published=4, no_progress=True, stdout=out)
    assert "压测数据已生成：40 个案例，其中已发布 4 个" in out.getvalue()
    with pytest.raises(CommandError, match="已有压测数据"):
        call_command("generate_load_data", cases=40, published=4, no_progress=True, stdout=StringIO())
    with pytest.raises(CommandError, match="published"):
        call_command("generate_load_data", cases=10, published=20, no_progress=True, stdout=StringIO())
    assert Case.objects.count() == 40


# --- the bulk path writes what the one-by-one path writes -------------------------------------------


def _comparable(records) -> list[tuple]:
    return [(r.transition, r.from_state, r.to_state, r.by_id, r.reason, r.extra) for r in records]


def test_bulk_audit_rows_match_the_one_by_one_path(django_capture_on_commit_callbacks):
    now = timezone.now()
    window = {"notice_starts": now - timedelta(days=8), "notice_ends": now - timedelta(hours=1)}
    one = factories.CampaignFactory()
    case = workflow_paths.bring_to("shortlisted", campaign=one)
    staff = workflow_paths.actor("staff", case)
    workflow.transition(case=case, name="open_notice", by=staff, **window)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case=case, name="publish", by=staff)
    expected = list(case.history.order_by("at", "pk"))

    other = factories.CampaignFactory()
    submitter, recommender = workflow_paths.actor("submitter", case), workflow_paths.actor("recommender", case)
    fields = dict(workflow_paths.COMPLETE_FIELDS)
    new = Case(campaign=other, title=case.title, region=case.region, category=other.categories.first(),
               created_by=submitter, **fields)
    reviewers = [m.reviewer for m in workflow_paths.reviewer_pool(other)]
    rubric = {c.code: round(c.max_score * 0.8) for c in other.rubric.all()}
    t = [now - timedelta(days=9, hours=10 - i) for i in range(10)]
    plan = Plan(
        case=new,
        steps=[Step("create", submitter, t[0]), Step("submit", submitter, t[1]), Step("recommend", recommender, t[2]),
               Step("pass_check", staff, t[3]), Step("start_review", staff, t[5]),
               Step("shortlist", staff, t[8], inputs={"tier": "exemplary"}),
               Step("open_notice", staff, t[9], inputs=window), Step("publish", staff, now)],
        indicators=[{"name": "培训人次", "value": "12000", "unit": "人次", "baseline": "3000"}],
        reviews=[Review(r, t[4], rubric, "做法扎实", final_at=t[6 + n]) for n, r in enumerate(reviewers)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = create_many([plan])
    made = Case.objects.get(pk=result.published_ids[0])
    got = list(made.history.order_by("at", "pk"))
    assert _comparable(got) == _comparable(expected)
    assert [r.at for r in got] == [t[0], t[1], t[2], t[3], t[5], t[7], t[8], t[9], now]
    assert made.tier.code == case.tier.code == "exemplary"
    for name in ("status", "nomination_rank", "notice_starts", "notice_ends", "province_id", "prefecture_id"):
        assert getattr(made, name) == getattr(Case.objects.get(pk=case.pk), name), name
    assert (made.submitted_at, made.published_at) == (t[1], now)
    assert made.indicators.count() == 1
    assert search_cases(SearchQuery(q=case.title)).total == 2  # both published, both indexed


def test_bulk_path_refuses_what_the_workflow_refuses():
    campaign = factories.CampaignFactory(default_quota=1)
    submitter = factories.submitter("440100", username="sub-440100")
    recommender = factories.recommender("440000", username="rec-440000")
    now = timezone.now()

    def plan(title, steps):
        case = Case(campaign=campaign, title=title, region=factories.region("440100"),
                    category=campaign.categories.first(), created_by=submitter, **workflow_paths.COMPLETE_FIELDS)
        return Plan(case=case, steps=[Step("create", submitter, now - timedelta(days=2)), *steps],
                    indicators=[{"name": "培训人次", "value": "1", "unit": "人次"}])

    nominated = [Step("submit", submitter, now - timedelta(days=1)), Step("recommend", recommender, now)]
    with pytest.raises(BulkPlanError, match="名额（1）已用完"):
        create_many([plan("甲", nominated), plan("乙", nominated)])
    with pytest.raises(BulkPlanError, match="不能执行“发布”"):
        create_many([plan("丙", [Step("publish", recommender, now)])])
    with pytest.raises(BulkPlanError, match="无权"):
        create_many([plan("丁", [Step("submit", recommender, now)])])
    with pytest.raises(BulkPlanError, match="理由"):
        create_many([plan("戊", [Step("withdraw", submitter, now)])])
    assert not Case.objects.exists()
