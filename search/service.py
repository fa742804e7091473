"""The public entry points of the search: `search_cases`, `related_cases`, `suggest`.

Elasticsearch answers when it is configured, up and its index complete; otherwise the
database backend does, and the results say so (`backend`). Whatever goes wrong, the public
search answers: only an unreachable cluster (connection refused, timeout, 5xx, 429) makes the
service leave Elasticsearch alone for a while (`SEARCH_ES_RETRY_AFTER`), so an outage costs one
timeout, not one per request; every other fault (a 4xx, TLS refused, a bad setting, an index not
built or built for another analyzer, a bug in the adapter) is answered from the database for this
request, logged at error level and counted (`search.health`, docs/search.md "Monitoring").
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from cases.models import Case

from . import conf, correction, health
from .backends import BackendError, BackendUnavailable, SearchBackend, database_backend, elasticsearch_backend
from .facets import check_codes
from .query import SearchHit, SearchQuery, SearchResults

logger = logging.getLogger(__name__)
T = TypeVar("T")


class _Breaker:
    """Remembers that Elasticsearch failed recently (per process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down_until = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self._down_until

    def trip(self) -> None:
        with self._lock:
            self._down_until = time.monotonic() + conf.retry_after()

    def reset(self) -> None:
        with self._lock:
            self._down_until = 0.0


breaker = _Breaker()


def elasticsearch_configured() -> bool:
    return conf.backend_name() == "elasticsearch"


def _answer(call: Callable[[SearchBackend], T]) -> T:
    """Elasticsearch's answer, or the database's when Elasticsearch cannot give one."""
    if elasticsearch_configured() and not breaker.is_open():
        try:
            return call(elasticsearch_backend())
        except BackendUnavailable as exc:
            breaker.trip()
            health.record_fallback(exc.kind, f"elasticsearch unavailable, answering from the database: {exc}")
        except BackendError as exc:
            health.record_fallback(exc.kind, str(exc))
        except Exception as exc:
            # A bug in the adapter must not take the public search down: log it loudly, fall back.
            logger.exception("search: elasticsearch failed; answering from the database backend")
            health.record_fallback("response", repr(exc))
    return call(database_backend())


def search_cases(query: SearchQuery) -> SearchResults:
    """Published cases matching `query`, with facets; raises `QueryError` for invalid input.

    A query that finds nothing or very little is tried again with its homophone typo corrected
    (`search.correction`): the results say which text they answer (`corrected_query`), or
    offer the correction (`suggested_query`)."""
    check_codes(query)
    results = _answer(lambda backend: backend.search(query))
    return correction.apply(query, results, lambda fixed: _answer(lambda backend: backend.search(fixed)))


def related_cases(case: Case | int, limit: int = 5) -> list[SearchHit]:
    """Published cases like `case` (by shared terms and taxonomy), never the case itself."""
    case_id = case.pk if isinstance(case, Case) else case
    return _answer(lambda backend: backend.related(case_id, limit))


def suggest(prefix: str, limit: int = 8) -> list[str]:
    """Completions for what a person has typed so far (titles and project names)."""
    prefix = " ".join((prefix or "").split())
    if not prefix or len(prefix) > 50:
        return []
    return _answer(lambda backend: backend.suggest(prefix, limit))
