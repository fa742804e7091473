"""Ports: what the apps above cases lend to it, registered from their AppConfig.ready.

cases is the domain; search, similarity and notifications stand above it and import it, never the
other way (docs/architecture.md, "Layers"). Where cases needs something of theirs — the 查重
figures beside a case on its admin pages and in the formal-check sheet, the public index after a
bulk load, their endpoints under /api/v1/ — it asks here, and they answer by registering at start.
Without them (an app not installed) the answers are empty: no figures, no indexing, no endpoints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


def _no_reports(case_ids: Iterable[int]) -> dict[int, Any]:
    return {}


def _unsorted(report: Any) -> tuple:
    return ()


def _no_links(user, case) -> list[dict]:
    return []


def _no_index(case_ids: list[int]) -> None:
    return None


@dataclass
class Similarity:
    """查重 (similarity/): the newest report of each case, its sort key, a case page's buttons."""

    latest_reports: Callable[[Iterable[int]], dict[int, Any]] = _no_reports
    sort_key: Callable[[Any], tuple] = _unsorted
    case_links: Callable[[Any, Any], list[dict]] = _no_links


@dataclass
class Search:
    """The public index (search/): bring these cases' entries up to date (both backends)."""

    sync_cases: Callable[[list[int]], None] = _no_index


similarity = Similarity()
search = Search()
# URL patterns added under /api/v1/ (cases/api/urls.py puts them before its catch-all).
_api_patterns: list = []


def provide_similarity(*, latest_reports, sort_key, case_links) -> None:
    similarity.latest_reports, similarity.sort_key, similarity.case_links = latest_reports, sort_key, case_links


def provide_search(*, sync_cases) -> None:
    search.sync_cases = sync_cases


def add_api_patterns(patterns: Iterable) -> None:
    """Endpoints of an app above cases under /api/v1/ (paths must not overlap cases' own)."""
    names = {p.name for p in _api_patterns}
    _api_patterns.extend(p for p in patterns if p.name not in names)


def api_patterns() -> list:
    return list(_api_patterns)
