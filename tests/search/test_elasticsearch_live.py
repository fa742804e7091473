"""Against a real cluster, only when ELASTICSEARCH_URL is set (the contract suite also runs there).

    ELASTICSEARCH_URL=http://localhost:9200 make test PYTEST_ARGS=tests/search
"""

from __future__ import annotations

import pytest

from search.backends.elasticsearch import ElasticsearchBackend, client
from search.maintenance import reindex
from search.query import SearchQuery

from .conftest import ES_SKIP, ES_URL

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(not ES_URL, reason=ES_SKIP)]


@pytest.fixture
def live(settings, backend_name_es, db_corpus):
    return ElasticsearchBackend()


@pytest.fixture
def backend_name_es(settings, request):
    settings.ELASTICSEARCH_URL = ES_URL
    yield "elasticsearch"
    es = client(ES_URL, 5.0)
    es.indices.delete(index=f"{settings.SEARCH_ES_INDEX}-*", ignore_unavailable=True, allow_no_indices=True)


def test_the_analyzer_makes_bigrams(live):
    tokens = live.es.indices.analyze(analyzer="cjk", text="老年人").body["tokens"]
    assert [t["token"] for t in tokens] == ["老年", "年人"]


def test_reindex_swaps_the_alias_and_drops_the_old_index(live, settings):
    es = live.es
    before = set(es.indices.get_alias(name=settings.SEARCH_ES_INDEX).body)
    assert reindex("elasticsearch") == 6
    after = set(es.indices.get_alias(name=settings.SEARCH_ES_INDEX).body)
    assert len(after) == 1 and not after & before
    assert not any(es.indices.exists(index=name) for name in before)
    assert live.search(SearchQuery(q="老年人")).total == 2


def test_check_finds_nothing_to_fix(live):
    from search.maintenance import check

    reports = {r.backend: r for r in check()}
    assert reports["elasticsearch"].ok, reports["elasticsearch"]
