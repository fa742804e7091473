"""Real queries against Elasticsearch, checked against the database backend: the shapes the
site uses (text, facets, highlight, suggestions, related cases). `search_check` runs them on
the live alias, `search_conformance` on its temporary index (docs/search.md, "Monitoring")."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from .backends import BackendError, BackendUnavailable
from .query import DIMENSIONS, SearchQuery, SearchResults
from .segment import runs


@dataclass
class Probe:
    name: str
    ok: bool
    detail: str
    ms: float = 0.0
    warning: bool = False  # a difference worth reading that does not fail the check


def timed(name: str, call: Callable[[], tuple[bool, str]], *, warning: bool = False) -> Probe:
    started = time.perf_counter()
    try:
        ok, detail = call()
    except (BackendUnavailable, BackendError) as exc:
        ok, detail = False, str(exc)
    return Probe(name, ok, detail, (time.perf_counter() - started) * 1000, warning and not ok)


def facet_counts(results: SearchResults) -> dict[str, dict]:
    return {dim: {f.value: f.count for f in results.facets.get(dim, [])} for dim in DIMENSIONS}


def text_of(title: str) -> str:
    """A query a person would type for this title: its first run, at most six characters."""
    run = next((r for r, _han in runs(title)), "")
    return run[:6]


def compare(es, db, *, case_id: int, title: str, expected_total: int | None = None) -> list[Probe]:
    """Every query shape on `es`, with the database backend `db` as the reference."""
    q = text_of(title)
    probes: list[Probe] = []

    def browse() -> tuple[bool, str]:
        mine, theirs = es.search(SearchQuery(sort="newest")), db.search(SearchQuery(sort="newest"))
        if expected_total is not None and mine.total != expected_total:
            return False, f"total {mine.total} ≠ {expected_total}"
        if facet_counts(mine) != facet_counts(theirs):
            diff = {d: (facet_counts(mine)[d], facet_counts(theirs)[d]) for d in DIMENSIONS
                    if facet_counts(mine)[d] != facet_counts(theirs)[d]}
            return False, f"facet counts differ from the database backend: {diff}"
        return True, f"total {mine.total}, facets equal to the database backend's"

    def text() -> tuple[bool, str]:
        mine = es.search(SearchQuery(q=q, page_size=100))
        if case_id not in mine.case_ids:
            return False, f"{q!r}: case {case_id} not found ({mine.total} hits)"
        mark = next(h for h in mine.hits if h.case_id == case_id).highlight
        if "<mark>" not in mark.get("title", "") + mark.get("text", ""):
            return False, f"{q!r}: no <mark> in the highlight {mark}"
        if "<mark><mark>" in mark["title"] or "</mark><mark>" in mark["title"]:
            return False, f"{q!r}: marks not merged: {mark['title']}"
        return True, f"{q!r}: found, {mine.total} hits, highlight {mark['title']}"

    def same_total() -> tuple[bool, str]:
        mine, theirs = es.search(SearchQuery(q=q)), db.search(SearchQuery(q=q))
        return mine.total == theirs.total, f"{q!r}: elasticsearch {mine.total}, database {theirs.total}"

    def suggest() -> tuple[bool, str]:
        prefix = title[:2]
        found = es.suggest(prefix)
        return any(s.startswith(prefix) for s in found), f"{prefix!r} → {found[:3]}"

    def related() -> tuple[bool, str]:
        found = es.related(case_id)
        return case_id not in [h.case_id for h in found], f"{len(found)} related"

    probes.append(timed("browse+facets", browse))
    probes.append(timed("text+highlight", text))
    probes.append(timed("text total = database", same_total, warning=True))
    probes.append(timed("suggest", suggest))
    probes.append(timed("related", related))
    return probes
