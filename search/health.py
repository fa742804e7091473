"""Search faults, counted where every server sees them, and the state an operator watches.

Each time a search is answered by the database although Elasticsearch is configured, the
service calls `record_fallback(kind, detail)`: the count goes into hourly buckets of the shared
cache (Redis or the database cache in production), the last detail is kept per kind, and a log
line an operator can alert on is written:

    search-fallback kind=<kind> level=<error|warning> count_1h=<n> detail=<status and body>

at ERROR for faults a person must fix (`request`, `auth`, `tls`, `product`, `response`,
`config`, `missing`, `incomplete`, `drift`) and WARNING for an unreachable cluster
(`unavailable`). The first occurrence in a process is always logged, then at most one line
per kind a minute (with the count), so a broken cluster cannot flood the log. Failed index
writes are counted apart (`write`): they never change which backend answers searches.

`snapshot()` feeds the secretariat's report (search/admin_views.py) and `GET /health/search`.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from . import conf
from .models import PendingIndexOp

logger = logging.getLogger("search.health")
WARNING_KINDS = frozenset({"unavailable"})
KINDS = ("unavailable", "request", "auth", "tls", "product", "response", "config", "missing", "incomplete",
         "drift", "write")
KEEP = 8 * 24 * 3600
LOG_EVERY = 60.0

_last_logged: dict[str, float] = {}
_log_lock = threading.Lock()


def _bucket(kind: str, hours_ago: int = 0) -> str:
    hour = (timezone.now() - timedelta(hours=hours_ago)).strftime("%Y%m%d%H")
    return f"search:fault:{kind}:{hour}"


def _count(kind: str, detail: str) -> int:
    key = _bucket(kind)
    cache.add(key, 0, timeout=KEEP)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=KEEP)
        count = 1
    cache.set(f"search:fault-last:{kind}", {"at": timezone.now().isoformat(), "detail": detail[:2000]}, timeout=KEEP)
    return count


def _log(kind: str, count: int, detail: str, *, what: str) -> None:
    now = time.monotonic()
    with _log_lock:
        if now - _last_logged.get(kind, -LOG_EVERY) < LOG_EVERY:
            return
        _last_logged[kind] = now
    level = logging.WARNING if kind in WARNING_KINDS else logging.ERROR
    logger.log(level, "%s kind=%s level=%s count_1h=%d detail=%s", what, kind, logging.getLevelName(level).lower(),
               count, detail[:2000])


def reset_log_throttle() -> None:
    """Tests start with nothing logged yet."""
    with _log_lock:
        _last_logged.clear()


def record_fallback(kind: str, detail: str) -> None:
    """A search answered by the database because Elasticsearch could not or would not."""
    _log(kind, _count(kind, detail), detail, what="search-fallback")


def record_write_failure(exc: Exception) -> None:
    detail = str(exc)
    _log("write", _count("write", detail), detail, what="search-write-failed")


def counts(hours: int = 24) -> dict[str, int]:
    """Faults per kind over the last `hours` hours (whole hours, this one included)."""
    keys = {kind: [_bucket(kind, h) for h in range(hours)] for kind in KINDS}
    found = cache.get_many([k for ks in keys.values() for k in ks])
    return {kind: sum(found.get(k, 0) for k in ks) for kind, ks in keys.items()}


def last_details() -> dict[str, dict]:
    found = cache.get_many([f"search:fault-last:{kind}" for kind in KINDS])
    return {key.rsplit(":", 1)[1]: value for key, value in found.items()}


@dataclass
class Snapshot:
    """What the secretariat's report and the health endpoint show."""

    configured: bool
    index_state: str = ""  # "" ready, or missing / incomplete / drift / unavailable / error kind
    index_problem: str = ""
    index_name: str | None = None
    marker: dict = field(default_factory=dict)
    last_hour: dict[str, int] = field(default_factory=dict)
    last_day: dict[str, int] = field(default_factory=dict)
    last: dict[str, dict] = field(default_factory=dict)
    pending: int = 0
    parked: int = 0
    rebuild: dict | None = None

    @property
    def healthy(self) -> bool:
        """Ready and no search answered by the database in the last hour."""
        if not self.configured:
            return True
        fallbacks = sum(n for kind, n in self.last_hour.items() if kind != "write")
        return not self.index_state and not fallbacks and not self.parked


def snapshot(*, probe_index: bool = True) -> Snapshot:
    # In the function: the backends reach this module back through es_rebuild and indexing (a cycle).
    from .backends import BackendError, BackendUnavailable, elasticsearch_backend
    from .backends.es_index import RebuildLock
    configured = conf.backend_name() == "elasticsearch"
    snap = Snapshot(configured=configured, last_hour=counts(1), last_day=counts(24), last=last_details(),
                    pending=PendingIndexOp.objects.filter(parked_at__isnull=True).count(),
                    parked=PendingIndexOp.objects.filter(parked_at__isnull=False).count())
    if configured and probe_index:
        try:
            state = elasticsearch_backend().state()
            snap.index_state, snap.index_problem = state.kind, state.problem
            snap.index_name, snap.marker = state.index, state.marker
        except BackendUnavailable as exc:
            snap.index_state, snap.index_problem = "unavailable", str(exc)
        except BackendError as exc:
            snap.index_state, snap.index_problem = exc.kind, str(exc)
        snap.rebuild = RebuildLock.running()
    return snap
