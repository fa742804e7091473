"""Against a real cluster, only when ELASTICSEARCH_URL is set (the contract suite also runs there).

    ELASTICSEARCH_URL=https://localhost:9200 SEARCH_ES_CA_CERTS=http_ca.crt \\
    SEARCH_ES_API_KEY=... make test PYTEST_ARGS=tests/search

Every index it creates is named under a test alias of its own and deleted by exact name, so it
passes on a default Elasticsearch 8 cluster (`action.destructive_requires_name: true`). The
connection settings (CA, fingerprint, API key ...) are read from the environment like the app's.
"""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.core.management import call_command

from search.backends import es_index
from search.backends.elasticsearch import ElasticsearchBackend
from search.maintenance import reindex
from search.query import SearchQuery

from .conftest import ES_SKIP, ES_URL

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(not ES_URL, reason=ES_SKIP)]
# nDCG@10 and recall@10 of Elasticsearch on the labelled set stay within this of the database
# backend's (docs/search.md, "Relevance").
MARGIN = 0.05


@pytest.fixture
def live(settings, db_corpus):
    settings.ELASTICSEARCH_URL = ES_URL
    reindex("elasticsearch")
    return ElasticsearchBackend()


def test_the_analyzers_keep_latin_words_and_bigrams(live):
    (index,) = es_index.behind(live.es, live.alias)
    tokens = live.es.indices.analyze(index=index, analyzer="cjk_fragments", text="IT培训老年人").body["tokens"]
    assert [t["token"] for t in tokens] == ["it", "培训", "老年", "年人"]
    tokens = live.es.indices.analyze(index=index, analyzer="suggest_plain", text="2025年5G课堂").body["tokens"]
    assert [t["token"] for t in tokens] == ["2025年5g课堂"]


def test_reindex_swaps_the_alias_and_drops_the_old_index(live, settings):
    es = live.es
    before = set(es_index.behind(es, settings.SEARCH_ES_INDEX))
    assert reindex("elasticsearch") == 6
    after = set(es_index.behind(es, settings.SEARCH_ES_INDEX))
    assert len(after) == 1 and not after & before
    assert not any(es.indices.exists(index=name) for name in before)
    assert live.search(SearchQuery(q="老年人")).total == 2
    (index,) = after
    assert live.state(fresh=True).marker["complete"] is True


# Queries with partial matches on the test corpus: most words, any word, a synonym (长者 is in no
# case), a sentence; each answered by both backends.
PARTIAL_QUERIES = ["农民 手机", "农民 退役军人", "退役军人 电商 量子", "量子 纠缠 老年人", "长者 智能手机",
                   "怎样帮助老人学会用智能手机", "老年人 手机 培训 火星"]


@pytest.mark.parametrize("q", PARTIAL_QUERIES)
def test_partial_matches_follow_the_database_backends_rule(live, q):
    """The same cases, the same full matches ranked first, the same words missing per hit and
    overall (search/backends/coverage.py: `accepted`, `assess`, `missing_everywhere`)."""
    from search.backends import database_backend

    query = SearchQuery(q=q, page_size=100)
    db, es = database_backend().search(query), live.search(query)
    assert set(es.case_ids) == set(db.case_ids), (q, es.case_ids, db.case_ids)
    assert es.full_total == db.full_total and es.missing_words == db.missing_words
    assert {h.case_id: h.missing for h in es.hits} == {h.case_id: h.missing for h in db.hits}
    assert set(es.case_ids[: es.full_total]) == set(db.case_ids[: db.full_total])


def test_a_synonym_from_the_set_finds_the_case(live, db_corpus):
    results = live.search(SearchQuery(q="长者"))
    assert db_corpus.id("运用智能技术") in results.case_ids and not results.missing_words


def test_check_with_probes_finds_nothing_to_fix(live):
    out = StringIO()
    call_command("search_check", stdout=out)
    assert "探测 ✗" not in out.getvalue()


def test_the_conformance_command_passes(settings):
    settings.ELASTICSEARCH_URL = ES_URL
    out = StringIO()
    call_command("search_conformance", stdout=out)
    assert "通过 PASS" in out.getvalue()


@pytest.mark.skipif(not os.environ.get("SEARCH_LIVE_EVAL"), reason="set SEARCH_LIVE_EVAL=1 (loads the demo data)")
def test_relevance_is_within_the_margin_of_the_database_backend(settings):
    from search.backends import database_backend
    from search.evaluation import backend_ranker, evaluate, load, mean, title_ids

    call_command("load_demo_data", stdout=StringIO())
    settings.ELASTICSEARCH_URL = ES_URL
    reindex("elasticsearch")
    judged = load()
    ids, _missing = title_ids(judged)
    scores = {name: evaluate(backend_ranker(backend), judged, ids)
              for name, backend in (("database", database_backend()), ("elasticsearch", ElasticsearchBackend()))}
    for metric in ("ndcg", "recall"):
        db = mean([getattr(s, metric) for s in scores["database"]])
        es = mean([getattr(s, metric) for s in scores["elasticsearch"]])
        assert abs(es - db) <= MARGIN, (metric, es, db)
