"""The bulk form of `workflow.import_published` that imports use: the same cases, history and
signals as one by one, in queries that do not grow with the number of rows."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import workflow
from cases.models import Case, CaseTransition
from cases.states import CampaignStatus, CaseStatus
from cases.workflow_import import ImportItem, ItemRefused, import_published_many
from tests import factories

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
AT = datetime(2025, 12, 20, 10, 0, tzinfo=SHANGHAI)
REGIONS = ("440100", "330100", "510100", "420100", "440300", "320100")


@pytest.fixture
def finished():
    return factories.CampaignFactory(slug="2025-bulk", year=2025, status=CampaignStatus.FINISHED)


@pytest.fixture
def staff():
    return factories.secretariat(username="sec-bulk")


def fields(n: int, **overrides) -> dict:
    values = {
        "title": f"银龄数字课堂（第{n}期）", "summary": "依托社区学校开展智能手机培训。\r\n帮助老年人跨越数字鸿沟。",
        "region": factories.region(REGIONS[n % len(REGIONS)]), "organisation": "越秀区委网信办",
        "organisation_type": "government", "scenarios": ["life"], "task_area": "life", "key_groups": ["elderly"],
        "background": "辖区老年人口占比高。", "approach": "一是建立银龄数字课堂。", "outcomes": "累计培训一万二千人次。",
        "lessons": "以需求为导向。", "replicability": "成本：每期约两万元。",
        "indicators": [{"name": "培训人次", "value": "12000", "unit": "人次", "baseline": "3000"},
                       {"name": "覆盖社区", "value": "35", "unit": "个"}],
    }
    values.update(overrides)
    return values


def snapshot(case: Case) -> dict:
    case = Case.objects.get(pk=case.pk)
    record = CaseTransition.objects.get(case=case)
    return {
        "case": {k: getattr(case, k) for k in ("status", "province_id", "prefecture_id", "published_at", "tier_id",
                                                "created_by_id", "summary", "scenarios")},
        "history": (record.transition, record.from_state, record.to_state, record.by_id, record.reason, record.extra),
        "indicators": [(i.name, i.value, i.unit, i.baseline) for i in case.indicators.all()],
    }


def test_bulk_writes_what_one_by_one_writes_and_announces_each_case(finished, staff, django_capture_on_commit_callbacks):
    tier = finished.tiers.first()
    heard = []
    workflow.case_transitioned.connect(lambda **kw: heard.append(kw["record"].case_id), weak=False, dispatch_uid="t-bulk")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            single = workflow.import_published(by=staff, campaign=finished, source="2025年度遴选结果",
                                               published_at=AT, tier=tier, **fields(1))
            bulk = import_published_many(by=staff, items=[
                ImportItem(campaign=finished, source="2025年度遴选结果", published_at=AT, tier=tier,
                           fields=fields(1, title="银龄数字课堂（第1期·批量）")),
                ImportItem(campaign=finished, source="2025年度遴选结果", tier=tier, fields=fields(2)),
            ])
    finally:
        workflow.case_transitioned.disconnect(dispatch_uid="t-bulk")
    assert snapshot(bulk[0]) == snapshot(single)
    assert snapshot(bulk[1])["case"]["status"] == CaseStatus.PUBLISHED
    assert snapshot(bulk[1])["case"]["published_at"] is not None  # no date given: now
    assert heard == [single.pk, bulk[0].pk, bulk[1].pk]


def _queries(campaign, staff, n: int, offset: int) -> int:
    items = [ImportItem(campaign=campaign, source="批量", published_at=AT, tier=campaign.tiers.first(),
                        fields=fields(offset + i)) for i in range(n)]
    with CaptureQueriesContext(connection) as ctx:
        import_published_many(by=staff, items=items)
    return len(ctx)


def test_queries_do_not_grow_with_the_rows(finished, staff):
    assert _queries(finished, staff, 2, 0) == _queries(finished, staff, 8, 10)


def test_a_bad_item_is_refused_with_its_index_and_nothing_is_written(finished, staff):
    items = [ImportItem(campaign=finished, source="批量", published_at=AT, fields=fields(1)),
             ImportItem(campaign=finished, source="批量", published_at=AT, fields=fields(2, contact_email="不是邮箱"))]
    with pytest.raises(ItemRefused) as refused:
        import_published_many(by=staff, items=items)
    assert refused.value.index == 1 and "contact_email" in refused.value.error.message_dict
    assert not Case.objects.exists()


def test_only_staff_may_import_and_only_into_a_finished_campaign(finished, staff):
    with pytest.raises(workflow.Forbidden):
        import_published_many(by=factories.reviewer(), items=[ImportItem(campaign=finished, source="x", fields=fields(1))])
    open_campaign = factories.CampaignFactory(slug="2026-open", year=2026, status=CampaignStatus.OPEN)
    with pytest.raises(ItemRefused) as refused:
        import_published_many(by=staff, items=[ImportItem(campaign=open_campaign, source="x", fields=fields(1))])
    assert isinstance(refused.value.error, workflow.GuardFailed)
    assert not Case.objects.exists()


def _effects_of_a_batch(campaign, staff, capture, n: int, offset: int) -> tuple[list[int], int]:
    """A batch imported inside `effects.batched()`: its cases, and the queries its end spends."""
    from cases import effects

    items = [ImportItem(campaign=campaign, source="批量", published_at=AT, fields=fields(offset + i)) for i in range(n)]
    block = effects.batched()
    block.__enter__()
    with capture(execute=True):
        cases = import_published_many(by=staff, items=items)
    with CaptureQueriesContext(connection) as ctx:
        block.__exit__(None, None, None)
    return [c.pk for c in cases], len(ctx)


def test_a_batch_audits_every_case_in_order_and_makes_renditions_in_queries_that_do_not_grow(
    finished, staff, django_capture_on_commit_callbacks, monkeypatch
):
    from audit.models import AuditEvent
    from website import renditions

    asked: list[list[int]] = []
    real = renditions.make_renditions_of_cases.call
    monkeypatch.setattr(renditions, "_enqueue_collected", lambda ids, batch=500: asked.append(list(ids)) or real(list(ids)))
    first, _ = _effects_of_a_batch(finished, staff, django_capture_on_commit_callbacks, 1, 0)  # creates the compilation row
    ids_few, few = _effects_of_a_batch(finished, staff, django_capture_on_commit_callbacks, 2, 10)
    ids_many, many = _effects_of_a_batch(finished, staff, django_capture_on_commit_callbacks, 7, 20)
    assert many == few
    audited = list(AuditEvent.objects.filter(action="case.transition").order_by("pk").values_list("object_id", "details"))
    assert [int(oid) for oid, _d in audited] == first + ids_few + ids_many
    assert all(d["to"] == "published" and d["transition"] for _o, d in audited)
    assert asked == [first, ids_few, ids_many]  # one renditions task per batch
