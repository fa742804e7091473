"""Faults are loud and scoped (the real client against the recording stand-in): only an
unreachable cluster fails over for a while; a 4xx, a missing product header or a bug is
answered from the database for that request, logged at error level with its body and counted;
a failed write never changes which backend answers; the counts reach the secretariat's report
and `/health/search`."""

from __future__ import annotations

import logging

import pytest

from search import health, indexing, service
from search.backends.es_client import client
from search.maintenance import reindex
from search.query import SearchQuery
from tests import factories
from tests.security import es_stand_in

from .conftest import finished_campaign, import_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(es_on, django_capture_on_commit_callbacks):
    """Two published cases, indexed by a full build on the stand-in."""
    campaign = finished_campaign("c-faults", 2025)
    with django_capture_on_commit_callbacks(execute=True):
        cases = [import_case(campaign, title=t, region="440100", day=d)
                 for d, t in enumerate(["银龄数字课堂", "乡村电商直播培训"], start=1)]
    assert reindex("elasticsearch") == 2
    return cases


def test_elasticsearch_answers_once_built(built, es_on):
    results = service.search_cases(SearchQuery(q="银龄"))
    assert results.backend == "elasticsearch" and results.case_ids == [built[0].pk]
    assert results.hits[0].highlight["title"] == "<mark>银龄</mark>数字课堂"  # one mark, not one per character


@pytest.mark.parametrize(("status", "kind"), [(400, "request"), (401, "auth"), (403, "auth")])
def test_a_4xx_is_an_error_with_its_body_answered_from_the_database(built, es_on, status, kind, caplog):
    es_stand_in.fail(es_on, "POST", r"/_search$", status,
                     {"error": {"type": "search_phase_execution_exception", "reason": "no [smartcn] analyzer"}})
    with caplog.at_level(logging.ERROR, logger="search.health"):
        results = service.search_cases(SearchQuery(q="银龄"))
    assert results.backend == "database" and results.case_ids == [built[0].pk]
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(f"kind={kind}" in m and "no [smartcn] analyzer" in m and str(status) in m for m in errors)
    assert health.counts(1)[kind] == 1
    assert not service.breaker.is_open()  # the next request tries Elasticsearch again
    assert service.search_cases(SearchQuery(q="银龄")).backend == "elasticsearch"


def test_a_proxy_that_strips_the_product_header_is_an_error(built, es_on):
    client.cache_clear()  # the client checks the header on its first answer (a new process)
    es_on.state["product_header"] = False
    assert service.search_cases(SearchQuery(q="银龄")).backend == "database"
    assert health.counts(1)["product"] == 1 and not service.breaker.is_open()


@pytest.mark.parametrize("status", [429, 503])
def test_an_overloaded_cluster_fails_over_for_a_while(built, es_on, status):
    es_stand_in.fail(es_on, "POST", r"/_search$", status, {"error": "busy"})
    assert service.search_cases(SearchQuery(q="银龄")).backend == "database"
    assert service.breaker.is_open() and health.counts(1)["unavailable"] == 1


def test_a_closed_port_fails_over_for_a_while(built, es_on, settings, caplog):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    with caplog.at_level(logging.WARNING, logger="search.health"):
        assert service.search_cases(SearchQuery(q="银龄")).backend == "database"
    assert service.breaker.is_open()
    assert any(r.levelno == logging.WARNING and "kind=unavailable" in r.getMessage() for r in caplog.records)


def test_a_failed_write_never_switches_reads(built, es_on, django_capture_on_commit_callbacks):
    es_stand_in.fail(es_on, "*", r"/_bulk$", 500, {"error": "disk full"}, times=10)
    with django_capture_on_commit_callbacks(execute=True):
        import_case(built[0].campaign, title="写入失败时发布的案例", region="440100", day=3)
    assert not service.breaker.is_open() and health.counts(1)["write"] >= 1
    assert service.search_cases(SearchQuery(q="银龄")).backend == "elasticsearch"
    assert indexing.flush_pending()[1] == 1  # still queued, retried later


def test_health_endpoint_and_the_secretariats_report(built, es_on, client, settings):
    assert client.get("/health/search").json()["status"] == "ok"
    es_stand_in.fail(es_on, "POST", r"/_search$", 400, {"error": {"reason": "bad query body"}})
    service.search_cases(SearchQuery(q="银龄"))
    answer = client.get("/health/search")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "degraded" and body["fallbacks_last_hour"] == {"request": 1}
    assert "bad query body" not in answer.content.decode()  # details stay in the log and the admin
    client.force_login(factories.secretariat(username="search-status-sec"))
    page = client.get("/admin/search-status/").content.decode()
    assert "请求被拒绝（4xx）" in page and "bad query body" in page and "已完成构建" in page
    client.force_login(factories.reviewer(username="search-status-rev"))
    assert client.get("/admin/search-status/").status_code == 404
