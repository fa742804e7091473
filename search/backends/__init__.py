"""The two adapters of the search port; `search.service` chooses between them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from cases.models import Case

from ..query import SearchHit, SearchQuery, SearchResults

Progress = Callable[[int, int], None]


class BackendUnavailable(Exception):
    """The backend cannot answer now (down, timed out, overloaded): the caller fails over for a while."""

    kind = "unavailable"


class BackendError(Exception):
    """The backend answered with a fault a person must fix (a 4xx, TLS refused, a bad setting, a
    response we cannot read): this request is answered by the database, the fault is logged at
    error level with its body and counted (`search.health`); the cluster is not left alone for it."""

    def __init__(self, message: str, *, kind: str = "request"):
        super().__init__(message)
        self.kind = kind


class BackendNotReady(BackendError):
    """The index behind the alias is missing, half-built or built for another mapping or analyzer."""

    def __init__(self, message: str, *, kind: str = "not_ready"):
        super().__init__(message, kind=kind)


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
    # In the function: each backend imports this package's errors and interface (a cycle).
    from .database import DatabaseBackend

    return DatabaseBackend()


def elasticsearch_backend():
    # In the function: each backend imports this package's errors and interface (a cycle).
    from .elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend()
