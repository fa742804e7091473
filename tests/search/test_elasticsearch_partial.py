"""Partial matches on the Elasticsearch backend, at the client boundary: the real client against
the stand-in (tests/security/es_stand_in.py), which evaluates the bool/minimum_should_match
query, reports each hit's named clauses in `matched_queries` and answers the aggregations as a
cluster does. We assert what we send and how we read the answer: the rule is the database
backend's (search/backends/coverage.py)."""

from __future__ import annotations

import json

import pytest

from search import es_synonyms
from search.backends import es_index
from search.backends.elasticsearch import ElasticsearchBackend
from search.backends.es_index import versioned_name
from search.query import SearchQuery

pytestmark = pytest.mark.django_db

# id → (title, body, province). The query "农民 手机 直播" has three words.
DOCS = {
    "1": ("乡村振兴案例", "组织农民用手机开展直播销售。", "330000"),  # all three words, in the body only
    "2": ("农民手机课堂：农民用好手机", "农民学手机。", "440000"),  # two of three, in the title: more BM25
    "3": ("农民夜校", "农民学文化。", "440000"),  # one of three: not "most of the words"
    "4": ("手机直播带货", "直播。", "510000"),  # two of three
    "5": ("社区图书馆", "阅读推广。", "110000"),  # none
    "6": ("长者智能手机课堂", "社区课堂。", "110000"),  # for 长者 智能手机: as typed
    "7": ("老年人智能手机课堂", "社区课堂。", "110000"),  # through the synonym set (老年人 = 长者)
}


@pytest.fixture
def backend(es_on, settings) -> ElasticsearchBackend:
    backend = ElasticsearchBackend()
    name = versioned_name(settings.SEARCH_ES_INDEX)
    es_index.create(backend.es, name, "cjk")
    for doc_id, (title, body, province) in DOCS.items():
        backend.es.index(index=name, id=doc_id, document={
            "case_id": int(doc_id), "title": title, "summary": "", "about": "", "body": body,
            "province": province, "published_at": f"2025-12-0{doc_id}T10:00:00+08:00"})
    es_index.mark_complete(backend.es, name, "cjk", len(DOCS))
    es_index.swap(backend.es, settings.SEARCH_ES_INDEX, name)
    return backend


def searches(server) -> list[dict]:
    return [json.loads(r["body"]) for r in server.state["requests"] if r["path"].endswith("/_search")]


def test_partial_matches_rank_below_full_ones_and_name_the_missing_words(backend, es_on):
    results = backend.search(SearchQuery(q="农民 手机 直播"))
    # Full match first, although case 2 scores higher on the words it has; case 3 has one
    # word of three (below half) and case 5 none.
    assert results.case_ids[0] == 1 and set(results.case_ids) == {1, 2, 4}
    assert {h.case_id: h.missing for h in results.hits} == {1: (), 2: ("直播",), 4: ("农民",)}
    assert results.total == 3 and results.full_total == 1 and results.missing_words == ()
    (request,) = searches(es_on)  # one request: the strict rule found cases
    (accepted,) = request["query"]["bool"]["filter"]
    full, half = accepted["bool"]["should"]
    assert full["bool"]["minimum_should_match"] == 3 and half["bool"]["minimum_should_match"] == 2


def test_a_case_with_every_word_ranks_above_one_whose_words_score_more(backend):
    scores = {h.case_id: h.score for h in backend.search(SearchQuery(q="农民 手机 直播")).hits}
    assert scores[1] > scores[2] and scores[1] > scores[4]


def test_when_no_case_has_most_words_any_word_is_enough(backend, es_on):
    results = backend.search(SearchQuery(q="农民 火星 月球"))
    assert set(results.case_ids) == {1, 2, 3}
    assert results.missing_words == ("火星", "月球") and results.full_total == 0
    assert all(h.missing == ("火星", "月球") for h in results.hits)
    strict, loose = searches(es_on)
    assert strict["aggs"]["coverage"]["global"] == {}
    (any_word,) = loose["query"]["bool"]["filter"]
    assert any_word["bool"]["minimum_should_match"] == 1 and "coverage" not in loose["aggs"]


def test_words_that_occur_nowhere_give_nothing_and_no_second_request(backend, es_on):
    results = backend.search(SearchQuery(q="火星 月球"))
    assert results.total == 0 and results.missing_words == ("火星", "月球")
    assert len(searches(es_on)) == 1


def test_filters_narrow_the_hits_and_the_full_count(backend):
    results = backend.search(SearchQuery(q="农民 手机 直播", province=("440000",)))
    assert results.case_ids == [2] and results.full_total == 0 and results.hits[0].missing == ("直播",)
    assert [(f.value, f.count) for f in results.facets["province"]] == [("330000", 1), ("440000", 1), ("510000", 1)]


def test_the_exact_phrase_ranks_first_among_full_matches(backend):
    results = backend.search(SearchQuery(q="手机直播"))
    # Case 4 has "手机直播" as written; case 1 has 手机 and 直播 apart (a full match by words).
    assert results.case_ids[:2] == [4, 1] and results.full_total >= 2


def test_newest_first_returns_the_same_cases_by_date(backend):
    results = backend.search(SearchQuery(q="农民 手机 直播", sort="newest"))
    assert results.case_ids == [4, 2, 1] and results.hits[1].missing == ("直播",)
    assert all(h.score is None for h in results.hits)


def test_a_synonym_counts_as_the_word_and_the_word_as_typed_ranks_first(backend, es_on):
    """The stand-in applies the synonym set the index was created with, as the fields' search
    analyzer does; the "as typed" clauses name the index analyzer, which has none."""
    results = backend.search(SearchQuery(q="长者 智能手机"))
    assert results.case_ids[:2] == [6, 7] and results.full_total == 2 and results.missing_words == ()
    assert [h.missing for h in results.hits[:2]] == [(), ()]
    # The others have 手机 (a synonym of 智能手机 in the set), half the words: partial, after them.
    assert set(results.case_ids[2:]) == {1, 2, 4} and all(h.missing == ("长者",) for h in results.hits[2:])
    assert any(rule["synonyms"].startswith("老年人, 老人, 长者") for rule in es_on.state["synonyms"][es_synonyms.set_name()])
