"""What a database search answers, kept in the cache until the index next changes (issue 18).

A search's answer is decided by the index alone: the page's ids in order, the totals, the words
missing, the facet counts. It is kept under the index's *token* (`database._collection_stats`:
a new one each time any case is indexed or removed, now and again once the write commits) and a
digest of the query as analysed (its terms and weights, so a synonym edit asks afresh), for
`SEARCH_RESULTS_CACHE_SECONDS` (default 300; 0 turns it off). What is not the index's is read
fresh on every request: the texts and highlights of the hits shown, the facets' labels.

This is what Elasticsearch's shard request cache does for repeated aggregations. The cold path,
one ranking statement and one facet query, is what `db_rank` made cheap; the cache spares the
most common queries even that (docs/performance.md gives both figures).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.core.cache import cache

from .. import conf
from ..query import SearchQuery
from ..segment import AnalysedQuery


@dataclass(frozen=True)
class Answer:
    ids: list[int]  # the page asked for, in order
    total: int
    counts: dict[str, dict]  # facet counts, before labels
    full_total: int | None = None
    missing_words: tuple[str, ...] = ()
    lacks: dict[int, tuple[str, ...]] = field(default_factory=dict)  # hit -> the words it lacks
    scores: dict[int, float] = field(default_factory=dict)


def key(token: str | None, query: SearchQuery, aq: AnalysedQuery | None) -> str | None:
    """The cache key of this query's answer, or None when the cache is off or the token unknown."""
    if not token or not conf.results_cache_seconds():
        return None
    analysed = sorted(aq.weights.items()) if aq is not None else None
    what = [query.q, analysed, sorted(query.filters.items()), query.sort, query.page, query.page_size]
    digest = hashlib.sha256(json.dumps(what, ensure_ascii=False, default=list).encode()).hexdigest()
    return f"search:db:answer:{token}:{digest}"


def get(cache_key: str | None) -> Answer | None:
    return cache.get(cache_key) if cache_key else None


def put(cache_key: str | None, answer: Answer) -> None:
    if cache_key:
        cache.set(cache_key, answer, conf.results_cache_seconds())
