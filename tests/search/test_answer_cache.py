"""The database backend keeps a query's answer until the index changes (search/backends/db_answers.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends.database import DatabaseBackend
from search.query import SearchQuery
from tests.search.conftest import finished_campaign, import_case

pytestmark = pytest.mark.django_db

RANKING = "WITH q(term"


def _search(q: str, **kw) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as ctx:
        results = DatabaseBackend().search(SearchQuery(q=q, **kw))
    return [x["sql"] for x in ctx.captured_queries], results


def test_a_repeated_query_is_answered_from_the_cache_with_the_same_results(db_corpus):
    cold_sql, cold = _search("老年人", scenario=("life",))
    warm_sql, warm = _search("老年人", scenario=("life",))
    assert any(s.startswith(RANKING) for s in cold_sql)
    assert not any(s.startswith(RANKING) or "search_casefacet" in s for s in warm_sql)
    assert len(warm_sql) < len(cold_sql)
    assert [h.case_id for h in warm.hits] == [h.case_id for h in cold.hits]
    assert [h.highlight for h in warm.hits] == [h.highlight for h in cold.hits]
    assert (warm.total, warm.full_total, warm.missing_words, warm.facets) == (cold.total, cold.full_total, cold.missing_words, cold.facets)
    # Another page, filter or query is its own answer.
    other_sql, _ = _search("老年人", scenario=("life",), page=2)
    assert any(s.startswith(RANKING) for s in other_sql)
    browse_cold, _ = _search("")
    browse_warm, _ = _search("")
    assert len(browse_warm) < len(browse_cold)


def test_a_new_publication_is_found_at_once(db_corpus, django_capture_on_commit_callbacks):
    _sql, before = _search("老年人")
    with django_capture_on_commit_callbacks(execute=True):
        case = import_case(finished_campaign("answers", 2023), title="老年人数字技能新案例", region="440100", day=9)
    sql, after = _search("老年人")
    assert any(s.startswith(RANKING) for s in sql), "the index changed: answered afresh"
    assert case.pk in [h.case_id for h in after.hits] and after.total == before.total + 1


def test_the_cache_can_be_turned_off(db_corpus, settings):
    settings.SEARCH_RESULTS_CACHE_SECONDS = 0
    _search("老年人")
    sql, _ = _search("老年人")
    assert any(s.startswith(RANKING) for s in sql)
