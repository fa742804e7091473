"""Enabling is safe and rebuilds lose nothing (the real client against the stateful stand-in):
no index answers before a completed build; a drifted mapping or analyzer is reported; writes
made while a rebuild loads reach the new index; one rebuild at a time; creation is idempotent
under races; one bad bulk item is parked and never blocks the queue; stale writes lose;
orphans are dropped by exact name; settings reach the index."""

from __future__ import annotations

import json
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases import workflow
from search import health, indexing, service
from search.backends import BackendNotReady, es_index
from search.backends.db_swap import RebuildRunning
from search.backends.elasticsearch import ElasticsearchBackend
from search.backends.es_bulk import version_stamp
from search.backends.es_client import maintenance
from search.documents import MAPPING_VERSION
from search.extract import case_text
from search.maintenance import reindex
from search.models import PendingIndexOp
from search.query import SearchQuery
from tests import factories
from tests.security import es_stand_in

from .conftest import finished_campaign, import_case

pytestmark = pytest.mark.django_db


def alias(settings) -> str:
    return settings.SEARCH_ES_INDEX


def behind(server, settings) -> list[str]:
    return sorted(server.state["aliases"].get(alias(settings), set()))


def publish(campaign, title: str, day: int, capture):
    with capture(execute=True):
        return import_case(campaign, title=title, region="440100", day=day)


def test_first_enable_answers_from_the_database_until_a_build_completes(es_on, settings,
                                                                        django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-enable", 2025)
    first = publish(campaign, "启用前已发布的案例", 1, django_capture_on_commit_callbacks)
    second = publish(campaign, "启用后第一次写入的案例", 2, django_capture_on_commit_callbacks)
    # The sync write found no alias: nothing was auto-created and the work stays queued.
    assert es_on.state["indexes"] == {} and es_on.state["aliases"] == {}
    assert {op.case_id for op in PendingIndexOp.objects.all()} == {first.pk, second.pk}
    results = service.search_cases(SearchQuery(q="案例"))
    assert results.backend == "database" and set(results.case_ids) == {first.pk, second.pk}
    assert health.counts(1)["missing"] == 1

    assert reindex("elasticsearch") == 2
    (index,) = behind(es_on, settings)
    meta = es_on.state["indexes"][index]["mappings"]["_meta"]["casebook"]
    assert meta["complete"] and meta["mapping_version"] == MAPPING_VERSION and meta["analyzer"] == "cjk"
    assert meta["cases"] == 2
    assert service.search_cases(SearchQuery(q="案例")).backend == "elasticsearch"
    assert not PendingIndexOp.objects.exists()  # replayed after the swap


def test_a_half_built_index_never_answers(es_on, settings, django_capture_on_commit_callbacks):
    publish(finished_campaign("c-half", 2025), "半成品索引里的案例", 1, django_capture_on_commit_callbacks)
    backend = ElasticsearchBackend()
    name = es_index.versioned_name(alias(settings))
    es_index.create(backend.es, name, "cjk")
    es_index.swap(backend.es, alias(settings), name)  # behind the alias, but never marked complete
    with pytest.raises(BackendNotReady):
        backend.search(SearchQuery(q="案例"))
    assert service.search_cases(SearchQuery(q="案例")).backend == "database"
    assert health.counts(1)["incomplete"] == 1
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("search_check", stdout=out, stderr=out)
    assert "尚未完成全量构建" in out.getvalue()


def test_a_changed_analyzer_is_detected_and_reported(es_on, settings, django_capture_on_commit_callbacks):
    publish(finished_campaign("c-drift", 2025), "分析器变更前的案例", 1, django_capture_on_commit_callbacks)
    reindex("elasticsearch")
    settings.SEARCH_ES_ANALYZER = "smartcn"
    es_index.forget()
    assert service.search_cases(SearchQuery(q="案例")).backend == "database"
    assert health.counts(1)["drift"] == 1
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("search_check", stdout=out, stderr=out)
    assert "分析器 cjk" in out.getvalue() and "smartcn" in out.getvalue()


def test_writes_during_a_rebuild_reach_the_new_index(es_on, settings, django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-during", 2025)
    kept = publish(campaign, "重建期间保留的案例", 1, django_capture_on_commit_callbacks)
    revoked = publish(campaign, "重建期间撤销的案例", 2, django_capture_on_commit_callbacks)
    reindex("elasticsearch")
    old = behind(es_on, settings)
    added = {}

    def meanwhile(done: int, total: int) -> None:
        """Progress of the rebuild: it has read and loaded the cases, the alias is not swapped yet."""
        if added:
            return
        assert es_index.RebuildLock.running(alias(settings))
        with django_capture_on_commit_callbacks(execute=True):
            workflow.transition(case=revoked, name="revoke", by=factories.secretariat(username="rebuild-sec"),
                                reason="重建期间撤销")
            added["case"] = import_case(campaign, title="重建期间新发布的案例", region="330100", day=3)
        # Applied to the index searches use now, but kept for the rebuild's replay.
        assert PendingIndexOp.objects.filter(case_id__in=[revoked.pk, added["case"].pk]).count() == 2

    reindex("elasticsearch", meanwhile)
    assert added, "the rebuild never reported progress"
    new = behind(es_on, settings)
    assert len(new) == 1 and new != old and old[0] not in es_on.state["indexes"]
    assert set(es_stand_in.docs(es_on, alias(settings))) == {str(kept.pk), str(added["case"].pk)}
    assert not PendingIndexOp.objects.exists()


def test_one_rebuild_at_a_time(es_on, settings):
    other = es_index.RebuildLock(alias(settings))
    assert other.acquire("another-worker")
    try:
        with pytest.raises(RebuildRunning):
            reindex("elasticsearch")
        with pytest.raises(CommandError, match="另一次"):
            call_command("search_reindex", "--backend", "elasticsearch", "--no-progress", stdout=StringIO())
    finally:
        other.release()
    assert es_on.state["indexes"] == {}  # the refused rebuild created nothing


def test_index_creation_is_idempotent_under_races(es_on, settings):
    backend = ElasticsearchBackend()
    name = es_index.versioned_name(alias(settings))
    results, errors = [], []

    def create():
        try:
            results.append(es_index.create(backend.es, name, "cjk"))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    workers = [threading.Thread(target=create) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == [] and sorted(results) == [False, True]
    assert list(es_on.state["indexes"]) == [name]


def test_one_bad_item_is_parked_and_never_blocks_the_queue(es_on, settings, django_capture_on_commit_callbacks,
                                                          client):
    campaign = finished_campaign("c-bad-item", 2025)
    good = publish(campaign, "正常写入的案例", 1, django_capture_on_commit_callbacks)
    bad = publish(campaign, "映射拒绝的案例", 2, django_capture_on_commit_callbacks)
    es_on.state["refuse"][str(bad.pk)] = (400, "mapper_parsing_exception", 1)
    assert reindex("elasticsearch") == 1
    assert set(es_stand_in.docs(es_on, alias(settings))) == {str(good.pk)}
    parked = PendingIndexOp.objects.get(case_id=bad.pk)
    assert parked.parked_at is not None and "mapper_parsing_exception" in parked.last_error
    # The queue goes on past it.
    later = publish(campaign, "之后发布的案例", 3, django_capture_on_commit_callbacks)
    assert str(later.pk) in es_stand_in.docs(es_on, alias(settings))
    assert list(PendingIndexOp.objects.values_list("case_id", flat=True)) == [bad.pk]
    assert client.get("/health/search").json()["parked"] == 1
    # Correcting the case syncs it again: tried again, and accepted this time.
    with django_capture_on_commit_callbacks(execute=True):
        bad.summary = "修正后的摘要"
        bad.save()
    assert str(bad.pk) in es_stand_in.docs(es_on, alias(settings)) and not PendingIndexOp.objects.exists()


def test_a_retryable_item_stays_queued(es_on, settings, django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-retry", 2025)
    reindex("elasticsearch")
    case = publish(campaign, "分片暂不可用", 1, django_capture_on_commit_callbacks)  # indexed at once
    es_on.state["refuse"][str(case.pk)] = (503, "unavailable_shards_exception", 1)
    indexing.queue([case.pk])
    assert indexing.flush_pending() == (0, 1)
    op = PendingIndexOp.objects.get(case_id=case.pk)
    assert op.parked_at is None and "unavailable_shards_exception" in op.last_error
    assert indexing.flush_pending() == (1, 0)


def test_a_stale_write_never_wins(es_on, settings, django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-stale", 2025)
    case = publish(campaign, "先读后写的案例", 1, django_capture_on_commit_callbacks)
    reindex("elasticsearch")
    backend = ElasticsearchBackend()
    early = version_stamp()  # worker A reads the case (published) ...
    text = case_text(case)
    newer = version_stamp()  # ... worker B reads it later, revoked, and deletes first
    assert backend.write((), [case.pk], newer).done == 1
    outcome = backend.write([text], (), early)  # A's stale write arrives last
    assert outcome.stale == 1 and outcome.done == 0
    assert es_stand_in.docs(es_on, alias(settings)) == {}


def test_orphans_are_dropped_by_exact_name_and_settings_reach_the_index(es_on, settings):
    settings.SEARCH_ES_REPLICAS = 2
    settings.SEARCH_ES_SHARDS = 3
    backend = ElasticsearchBackend()
    orphan = es_index.versioned_name(alias(settings)).replace("t", "t", 1)
    es_index.create(backend.es, orphan, "cjk")  # left by a build that timed out
    reindex("elasticsearch")
    (index,) = behind(es_on, settings)
    assert orphan not in es_on.state["indexes"] and list(es_on.state["indexes"]) == [index]
    deletes = [r["path"] for r in es_on.state["requests"] if r["method"] == "DELETE"]
    assert deletes == [f"/{orphan}"]  # exact names: a default cluster refuses wildcards
    created = json.loads(next(r["body"] for r in es_on.state["requests"] if r["method"] == "PUT" and r["path"] == f"/{index}"))
    assert created["settings"]["number_of_replicas"] == 2 and created["settings"]["number_of_shards"] == 3


def test_maintenance_has_its_own_timeout(es_on, settings):
    settings.SEARCH_ES_TIMEOUT = 1.5
    settings.SEARCH_ES_MAINTENANCE_TIMEOUT = 300
    backend = ElasticsearchBackend()
    assert backend.es._request_timeout == 1.5
    assert maintenance(backend.es)._request_timeout == 300
