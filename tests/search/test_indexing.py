"""Indexing through the lifecycle, the maintenance commands, and failing over when
Elasticsearch is configured but down (a closed port: no cluster is needed)."""

from __future__ import annotations

import logging
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from cases import workflow
from cases.models import Case
from search import indexing, service
from search.maintenance import reindex
from search.models import CaseIndex, PendingIndexOp
from search.query import SearchQuery
from search.service import search_cases
from tests import factories
from tests.security import es_stand_in
from tests.workflow_paths import bring_to

from .conftest import finished_campaign, import_case

pytestmark = pytest.mark.django_db
CLOSED_PORT = "http://127.0.0.1:9"


def indexed() -> set[int]:
    return set(CaseIndex.objects.values_list("pk", flat=True))


def staff():
    return factories.secretariat(username="search-secretariat")


def test_publishing_indexes_after_commit_and_revoking_removes(campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        noticed = bring_to("in_notice", campaign=campaign, title="银龄数字课堂（公示）")
        case = bring_to("published", campaign=campaign, title="银龄数字课堂（发布）")
    assert noticed.pk not in indexed()
    assert case.pk in indexed()
    assert case.history.filter(transition="publish").exists()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case=case, name="revoke", by=staff(), reason="材料不实")
    assert case.pk not in indexed()


def test_nothing_is_indexed_before_the_commit(django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-commit", 2025)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = import_case(campaign, title="未提交的事务", region="440100", day=1)
        assert case.pk not in indexed()
    assert callbacks and case.pk not in indexed()


def test_editing_a_published_case_reindexes_it(django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-edit", 2025)
    with django_capture_on_commit_callbacks(execute=True):
        case = import_case(campaign, title="数字课堂", region="440100", day=1, summary="原来的摘要")
    before = CaseIndex.objects.get(pk=case.pk).digest
    with django_capture_on_commit_callbacks(execute=True):
        case.summary = "更正后的摘要：教老年人使用健康码"
        case.save()
    assert CaseIndex.objects.get(pk=case.pk).digest != before
    assert [h.case_id for h in search_cases(SearchQuery(q="健康码")).hits] == [case.pk]


def test_search_check_reports_and_fixes(django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-check", 2025)
    with django_capture_on_commit_callbacks(execute=True):
        kept = import_case(campaign, title="索引一致的案例", region="440100", day=1)
        stale = import_case(campaign, title="索引过期的案例", region="440100", day=2)
    with django_capture_on_commit_callbacks(execute=False):
        missing = import_case(campaign, title="漏掉索引的案例", region="440100", day=3)
    Case.objects.filter(pk=stale.pk).update(summary="绕过保存信号的修改")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("search_check", stdout=out)
    assert f"缺失 1 个：{missing.pk}" in out.getvalue() and f"过期 1 个：{stale.pk}" in out.getvalue()
    call_command("search_check", "--fix", stdout=StringIO())
    assert indexed() == {kept.pk, stale.pk, missing.pk}
    out = StringIO()
    call_command("search_check", stdout=out)
    assert "一致" in out.getvalue()


def test_search_reindex_rebuilds_with_a_progress_bar(django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-reindex", 2025)
    with django_capture_on_commit_callbacks(execute=False):
        case = import_case(campaign, title="重建索引的案例", region="440100", day=1)
    out = StringIO()
    call_command("search_reindex", stdout=out)
    assert "[####" in out.getvalue() and "1/1" in out.getvalue()
    assert indexed() == {case.pk}
    with pytest.raises(CommandError):
        call_command("search_reindex", "--backend", "elasticsearch", stdout=StringIO())


def test_migrate_builds_a_missing_database_index(django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-migrate", 2025)
    with django_capture_on_commit_callbacks(execute=False):
        case = import_case(campaign, title="迁移前已发布的案例", region="440100", day=1)
    indexing.build_if_empty(sender=None)
    assert indexed() == {case.pk}
    with mock.patch("search.maintenance.reindex") as rebuild:
        indexing.build_if_empty(sender=None)
    rebuild.assert_not_called()


# --- Elasticsearch configured but down -----------------------------------------------


@pytest.fixture
def es_down(settings):
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    settings.SEARCH_ES_TIMEOUT = 1


def test_search_fails_over_to_the_database_and_says_so(es_down, caplog, django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-down", 2025)
    with django_capture_on_commit_callbacks(execute=True):
        case = import_case(campaign, title="智慧助老驿站", region="440100", day=1)
    service.breaker.reset()  # indexing just found the cluster down; forget that for this test
    with caplog.at_level(logging.WARNING, logger="search.service"):
        results = search_cases(SearchQuery(q="助老"))
    assert results.backend == "database" and results.case_ids == [case.pk]
    assert any("unavailable" in r.getMessage() for r in caplog.records)
    # Known down: the next request does not wait for another timeout.
    with mock.patch("search.service.elasticsearch_backend") as es:
        assert search_cases(SearchQuery(q="助老")).backend == "database"
    es.assert_not_called()
    assert service.related_cases(case) == [] and "智慧助老驿站" in service.suggest("智慧")


def test_a_misbehaving_adapter_does_not_take_the_search_down(es_down, caplog):
    broken = mock.Mock(name="elasticsearch")
    broken.name = "elasticsearch"
    broken.search.side_effect = KeyError("hits")
    with mock.patch("search.service.elasticsearch_backend", return_value=broken), \
         caplog.at_level(logging.ERROR, logger="search.service"):
        assert search_cases(SearchQuery(q="老年人")).backend == "database"
    assert any(r.exc_info for r in caplog.records)


def test_failed_elasticsearch_work_is_queued_and_retried(es_down, stand_in, settings,
                                                         django_capture_on_commit_callbacks):
    live = f"http://127.0.0.1:{stand_in.server_port}"
    settings.ELASTICSEARCH_URL = live
    reindex("elasticsearch")  # an (empty) completed index, then the cluster goes down
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    campaign = finished_campaign("c-queue", 2025)
    with django_capture_on_commit_callbacks(execute=True):
        case = import_case(campaign, title="排队等待的案例", region="440100", day=1)
    assert case.pk in indexed()  # the database index never waits for Elasticsearch
    op = PendingIndexOp.objects.get(case_id=case.pk)
    assert op.attempts == 1 and op.last_error
    assert not service.breaker.is_open()  # a failed write never switches reads
    assert indexing.flush_pending() == (0, 1)
    assert PendingIndexOp.objects.get(case_id=case.pk).attempts == 2

    settings.ELASTICSEARCH_URL = live
    assert indexing.flush_pending() == (1, 0)
    assert set(es_stand_in.docs(stand_in, settings.SEARCH_ES_INDEX)) == {str(case.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case=case, name="revoke", by=staff(), reason="撤销")
    assert es_stand_in.docs(stand_in, settings.SEARCH_ES_INDEX) == {} and not PendingIndexOp.objects.exists()


def test_search_check_fixes_elasticsearch_too(es_down, stand_in, settings, django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-es-check", 2025)
    with django_capture_on_commit_callbacks(execute=True):
        case = import_case(campaign, title="待补齐的案例", region="440100", day=1)
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{stand_in.server_port}"
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("search_check", stdout=out, stderr=out)  # no index yet: reported, not hidden
    assert "search_reindex" in out.getvalue()
    out = StringIO()
    call_command("search_check", "--fix", stdout=out)
    assert set(es_stand_in.docs(stand_in, settings.SEARCH_ES_INDEX)) == {str(case.pk)}
    assert not PendingIndexOp.objects.exists()
    assert "elasticsearch" in out.getvalue()
    out = StringIO()
    call_command("search_check", stdout=out)  # built, consistent, probes pass: no CommandError
    assert "探测 ✓ text+highlight" in out.getvalue() and "探测 ✓ suggest" in out.getvalue()
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("search_check", stdout=out, stderr=out)  # the cluster is down
    assert "无法检查" in out.getvalue()
