"""Django's Redis cache backend, made so that a Redis outage never fails a request.

Everything the app keeps in the cache (rendered case-page fragments, related-case ids, search
collection statistics, Wagtail's rendition lookups) can be rebuilt from the database, so when
Redis does not answer, each operation answers as an empty cache would: a read is a miss (the
caller falls back to the database), a write is skipped. No view or service needs to know; the
invalidations that run after a commit (`transaction.on_commit`) cannot raise either, so a write
never rolls back or fails because of the cache.

- After a failure the process leaves Redis alone for `RETRY_AFTER` seconds (OPTIONS; default 5),
  so an outage costs one connection attempt per process per period, not one per cache call;
  short socket timeouts (0.5 s) bound that attempt when Redis is unreachable rather than down.
- The keys a skipped write or delete would have changed are remembered (up to MAX_LOST) and
  deleted as soon as Redis answers again: an entry written before the outage and invalidated
  during it never outlives the outage, and recovery needs no restart.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import partial

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

MAX_LOST = 10_000
SOCKET_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        super().__init__(server, {**params, "OPTIONS": {**SOCKET_TIMEOUTS, **options}})
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._lost: dict[str, None] = {}  # full keys whose write was skipped, in order
        self._lost_overflow = False

    # --- the guard around every operation -------------------------------------------------

    def _guarded(self, operation, default, written: list[str] | tuple = ()):
        if time.monotonic() < self._down_until:
            self._remember(written)
            return default
        try:
            if self._lost:
                self._replay()
            result = operation()
        except RedisError as exc:
            self._trip(exc)
            self._remember(written)
            return default
        if self._down_until:
            self._recovered()
        return result

    def _trip(self, exc: Exception) -> None:
        with self._lock:
            was_up = self._down_until == 0.0
            self._down_until = time.monotonic() + self.retry_after
        if was_up:
            logger.warning("cache: Redis does not answer (%s: %s); serving without it, retrying every %.0f s",
                           type(exc).__name__, exc, self.retry_after)

    def _remember(self, keys) -> None:
        if not keys:
            return
        with self._lock:
            for key in keys:
                if len(self._lost) >= MAX_LOST:
                    self._lost_overflow = True
                    break
                self._lost[key] = None

    def _replay(self) -> None:
        """Redis answers again: delete what was changed meanwhile, then carry on (raises if down)."""
        with self._lock:
            keys, overflow = list(self._lost), self._lost_overflow
        if keys:
            self._cache.delete_many(keys)
        with self._lock:
            for key in keys:
                self._lost.pop(key, None)
            self._lost_overflow = False
        logger.warning("cache: %d key(s) changed while Redis was away deleted%s", len(keys),
                       " (more were changed than remembered: they expire with their timeouts)" if overflow else "")

    def _recovered(self) -> None:
        with self._lock:
            self._down_until = 0.0
        logger.warning("cache: Redis answers again")

    def _key(self, key, version) -> str:
        return self.make_and_validate_key(key, version=version)

    # --- Django's cache API ----------------------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._guarded(partial(super().get, key, default, version), default)

    def get_many(self, keys, version=None):
        return self._guarded(partial(super().get_many, keys, version), {})

    def has_key(self, key, version=None):
        return self._guarded(partial(super().has_key, key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(partial(super().add, key, value, timeout, version), False, [self._key(key, version)])

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded(partial(super().set, key, value, timeout, version), None, [self._key(key, version)])

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        keys = [self._key(key, version) for key in data]
        return self._guarded(partial(super().set_many, data, timeout, version), list(data), keys)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(partial(super().touch, key, timeout, version), False, [self._key(key, version)])

    def delete(self, key, version=None):
        return self._guarded(partial(super().delete, key, version), False, [self._key(key, version)])

    def delete_many(self, keys, version=None):
        self._guarded(partial(super().delete_many, keys, version), None, [self._key(key, version) for key in keys])

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._guarded(partial(super().incr, key, delta, version), missing, [self._key(key, version)])
        if value is missing:
            raise ValueError(f"Key '{key}' not found")  # what an empty cache answers
        return value

    def clear(self):
        return self._guarded(super().clear, False)
