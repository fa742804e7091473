"""The two adapters of the search port; `search.service` chooses between them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from cases.models import Case

from ..query import SearchHit, SearchQuery, SearchResults

Progress = Callable[[int, int], None]


class BackendUnavailable(Exception):
    """The backend cannot answer now (down, timed out, refused): the caller may fail over."""


class SearchBackend(Protocol):
    name: str

    def search(self, query: SearchQuery) -> SearchResults: ...

    def related(self, case_id: int, limit: int = 5) -> list[SearchHit]: ...

    def suggest(self, prefix: str, limit: int = 8) -> list[str]: ...

    def index_cases(self, cases: Iterable[Case]) -> int: ...

    def remove_cases(self, case_ids: Iterable[int]) -> None: ...

    def indexed_ids(self) -> set[int]: ...

    def rebuild(self, cases: Iterable[Case], total: int, progress: Progress | None = None) -> int: ...


def database_backend():
    from .database import DatabaseBackend

    return DatabaseBackend()


def elasticsearch_backend():
    from .elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend()
