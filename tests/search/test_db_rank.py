"""The database ranks in SQL exactly as the Python reference (`ranking.score`, `coverage`) would.

`db_rank` compiles BM25F, the coverage tiers and the acceptance rule into one statement (issue
18). The oracle here composes the pure Python functions over the same posting rows, so a change
to one side that the other does not follow fails: same cases, same order, same scores, the same
words missing per case and overall, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import synonyms
from search.backends import coverage, db_query, db_rank, ranking
from search.backends.database import DatabaseBackend, _collection_stats
from search.query import SearchQuery
from search.segment import analyse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Every query of both frozen relevance sets (names, colloquial words, synonyms, typos, partial
# matches), and a few built to reach the corners: words found nowhere, one-character runs,
# Latin tokens, punctuation.
QUERIES = sorted(
    {q["query"] for name in ("queries.json", "colloquial.json")
     for q in json.loads((ROOT / "bench/relevance" / name).read_text(encoding="utf-8"))["queries"]}
    | {"老年人 手机 不存在的词", "人工智能 退役军人 电商 社区", "ai 教育", "老", "社区，志愿者！", "帮助老年人跨越数字鸿沟"}
)


def reference(backend: DatabaseBackend, q: str) -> tuple[list[int], dict[int, float], dict[int, tuple], list[str]]:
    """Order, scores, missing words per case and overall, from the Python functions."""
    aq = analyse(q, synonyms.current())
    coverages, missing = coverage.of_masks(aq, db_query.complete_atoms(aq))
    accepted = coverage.accepted(aq, coverages)
    stats = backend._stats(aq.weights)
    postings = backend._postings(aq.weights, accepted) if accepted else []
    phrases = [g.phrase for g in aq.groups]
    typed = {cid for cid in accepted if coverages[cid].full_runs == coverages[cid].literal_runs}
    scores = ranking.score([p for p in postings if p.case_id in typed], aq.typed_weights, stats, backend.params, phrases)
    scores |= ranking.score([p for p in postings if p.case_id not in typed], aq.weights, stats, backend.params, phrases)
    order = sorted(accepted, key=lambda c: (coverages[c].tier, round(scores.get(c, 0.0), 9), c), reverse=True)
    return order, scores, {c: coverages[c].missing for c in accepted}, missing


@pytest.mark.parametrize("q", QUERIES)
def test_sql_ranking_equals_the_python_reference(db_corpus, q):
    backend = DatabaseBackend()
    order, scores, lacks, missing = reference(backend, q)
    aq = analyse(q, synonyms.current())
    agg = _collection_stats()
    ranked = db_rank.rank(aq, backend.params, agg["n"], {f: agg[f] for f in ranking.FIELDS})
    assert ranked.ids == order
    for cid in order:
        assert ranked.scores[cid] == pytest.approx(scores.get(cid, 0.0), rel=1e-9, abs=1e-9)
    results = backend.search(SearchQuery(q=q, page_size=50))
    assert [h.case_id for h in results.hits] == order
    assert {h.case_id: h.missing for h in results.hits} == lacks
    assert list(results.missing_words) == missing


def test_the_corpus_exercises_every_tier(db_corpus):
    """The equivalence above means something only if the queries reach partial matches, synonym
    expansion and words found nowhere: check that they do."""
    backend = DatabaseBackend()
    partial = expanded = missing_somewhere = 0
    for q in QUERIES:
        results = backend.search(SearchQuery(q=q, page_size=50))
        partial += any(h.missing for h in results.hits)
        expanded += bool(results.hits) and len(analyse(q, synonyms.current()).weights) > len(analyse(q).weights)
        missing_somewhere += bool(results.missing_words)
    assert partial >= 5 and missing_somewhere >= 5 and expanded >= 5


def test_a_text_search_costs_the_same_queries_with_or_without_filters(db_corpus, settings):
    """Ranking is one statement whatever the number of matches; filters add their own read."""
    settings.SEARCH_RESULTS_CACHE_SECONDS = 0  # the cold path (the answer cache: test_answer_cache.py)
    backend = DatabaseBackend()
    backend.search(SearchQuery(q="老年人"))  # collection statistics cached
    with CaptureQueriesContext(connection) as plain:
        backend.search(SearchQuery(q="老年人"))
    with CaptureQueriesContext(connection) as filtered:
        backend.search(SearchQuery(q="老年人", province=("440000",), scenario=("life",)))
    ranking_sql = [q["sql"] for q in plain.captured_queries if q["sql"].startswith("WITH q(term")]
    assert len(ranking_sql) == 1
    # ranking, facet counts, the campaigns' and tiers' labels, the page's texts (before: seven,
    # with the match, the document frequencies and ~8,000 posting rows read apart); filters add
    # one (which filters each case passes).
    assert len(plain.captured_queries) == 5
    assert len(filtered.captured_queries) == 6
