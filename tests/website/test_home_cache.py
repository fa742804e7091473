"""The home page's library sections are rendered once per change of the library (website/home.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import workflow
from tests import factories
from tests.search.conftest import finished_campaign, import_case

pytestmark = pytest.mark.django_db


def _queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_a_repeat_visit_reads_the_sections_from_the_cache_and_a_publication_shows_at_once(
    client, django_capture_on_commit_callbacks
):
    cache.clear()
    campaign = finished_campaign("home-cache", 2025)
    with django_capture_on_commit_callbacks(execute=True):
        import_case(campaign, title="第一个已发布的案例", region="440100", day=1)
    first, html = _queries(client)  # rendered and cached
    assert "第一个已发布的案例" in html
    second, html_again = _queries(client)
    assert html_again == html
    assert second < first, (first, second)  # counts, featured, latest, campaigns: from the cache
    with django_capture_on_commit_callbacks(execute=True):
        case = import_case(campaign, title="第二个已发布的案例", region="330100", day=2)
    _count, html = _queries(client)
    assert "第二个已发布的案例" in html
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case=case, name="revoke", by=factories.secretariat(username="search-secretariat"),
                            reason="测试撤销")
    _count, html = _queries(client)
    assert "第二个已发布的案例" not in html
