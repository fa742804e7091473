"""Ranked nomination within quotas: what counts, contiguous ranks, freed places, concurrency."""

import threading

import pytest
from django.db import connection

from cases import workflow
from cases.models import Case, QuotaOverride
from tests import factories
from tests.factories import CampaignFactory
from tests.workflow_paths import bring_to


def _submitted(campaign, n, region="440100"):
    return [bring_to("submitted", campaign=campaign, region_code=region, title=f"案例{i}") for i in range(n)]


def _ranks(campaign):
    return list(
        Case.objects.filter(campaign=campaign, nomination_rank__isnull=False)
        .order_by("nomination_rank").values_list("title", "nomination_rank")
    )


@pytest.mark.django_db
def test_quota_and_contiguous_ranks():
    campaign = CampaignFactory(default_quota=3)
    a, b, c, d = _submitted(campaign, 4)
    rec = factories.recommender("440000")
    workflow.transition(case=a, name="recommend", by=rec)
    workflow.transition(case=b, name="recommend", by=rec)
    workflow.transition(case=c, name="recommend", by=rec, rank=1)  # goes first, others shift down
    assert _ranks(campaign) == [("案例2", 1), ("案例0", 2), ("案例1", 3)]
    with pytest.raises(workflow.GuardFailed, match="广东省在“数字包容与适老化”方向的推荐名额（3）已用完"):
        workflow.transition(case=d, name="recommend", by=rec)
    # The secretariat returns one: its place is freed and the ranks close up.
    workflow.transition(case=a, name="return_for_revision", by=factories.secretariat(), reason="请补充材料")
    assert _ranks(campaign) == [("案例2", 1), ("案例1", 2)]
    workflow.transition(case=d, name="recommend", by=rec, rank=2)
    assert _ranks(campaign) == [("案例2", 1), ("案例3", 2), ("案例1", 3)]
    assert Case.objects.get(pk=d.pk).history.last().extra == {"rank": 2}


@pytest.mark.django_db
def test_rank_out_of_range_and_override():
    campaign = CampaignFactory(default_quota=3)
    QuotaOverride.objects.create(campaign=campaign, province=factories.region("440000"), category_code="inclusion", quota=1)
    a, b = _submitted(campaign, 2)
    rec = factories.recommender("440000")
    with pytest.raises(workflow.GuardFailed, match="1 到 1"):
        workflow.transition(case=a, name="recommend", by=rec, rank=5)
    workflow.transition(case=a, name="recommend", by=rec)
    with pytest.raises(workflow.GuardFailed, match="（1）已用完"):
        workflow.transition(case=b, name="recommend", by=rec)


@pytest.mark.django_db
def test_other_province_does_not_use_the_quota():
    campaign = CampaignFactory(default_quota=1)
    (gd,) = _submitted(campaign, 1)
    (zj,) = _submitted(campaign, 1, region="330100")
    workflow.transition(case=gd, name="recommend", by=factories.recommender("440000"))
    workflow.transition(case=zj, name="recommend", by=factories.recommender("330000", username="r-zj"))
    assert Case.objects.filter(status="recommended").count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_quota_holds_under_ten_concurrent_recommendations():
    campaign = CampaignFactory(default_quota=3)
    cases = _submitted(campaign, 10)
    rec = factories.recommender("440000")
    barrier = threading.Barrier(10)
    outcomes: list[str] = []

    def act(case_id):
        try:
            barrier.wait()
            workflow.transition(case=case_id, name="recommend", by=rec)
            outcomes.append("ok")
        except workflow.WorkflowError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(c.pk,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 3
    assert Case.objects.filter(campaign=campaign, status="recommended").count() == 3
    assert sorted(r for _, r in _ranks(campaign)) == [1, 2, 3]


@pytest.mark.django_db
def test_reorder_and_the_ranked_sheet():
    import io

    from openpyxl import load_workbook

    from cases import nomination
    from cases.exports import nomination_sheet

    campaign = CampaignFactory(default_quota=3)
    a, b, c = _submitted(campaign, 3)
    rec = factories.recommender("440000")
    for case in (a, b, c):
        workflow.transition(case=case, name="recommend", by=rec)
    with pytest.raises(workflow.GuardFailed, match="全部案例"):
        nomination.reorder(by=rec, campaign_id=campaign.pk, category_id=a.category_id, order=[c.pk, a.pk])
    with pytest.raises(workflow.Forbidden):
        nomination.reorder(by=factories.secretariat(), campaign_id=campaign.pk, category_id=a.category_id, order=[])
    nomination.reorder(by=rec, campaign_id=campaign.pk, category_id=a.category_id, order=[c.pk, a.pk, b.pk])
    assert _ranks(campaign) == [("案例2", 1), ("案例0", 2), ("案例1", 3)]

    Case.objects.filter(pk=a.pk).update(title='=HYPERLINK("http://evil")')
    wb = load_workbook(io.BytesIO(nomination_sheet(by=rec, campaign=campaign)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[1][:3] == ("征集方向", "推荐排序", "案例名称")
    assert [(r[1], r[2]) for r in rows[2:]] == [(1, "案例2"), (2, '\'=HYPERLINK("http://evil")'), (3, "案例1")]
    other = factories.recommender("330000", username="r-zj")
    assert len(list(load_workbook(io.BytesIO(nomination_sheet(by=other, campaign=campaign))).active.iter_rows())) == 2
