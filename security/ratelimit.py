"""Rate limits by client address, driven by the RATE_LIMITS setting (see config/settings/base.py).

Each rule: {"name", "path" (a regular expression matched against request.path), "methods"
(a list, or omitted for all), "limit" (requests), "window" (seconds)}. The first matching rule
counts the request in a fixed window per (rule, address); past the limit the request gets
HTTP 429 with Retry-After. Counters live in the database (one upsert per counted request),
so several app servers share them.

ACCOUNT_RATE_LIMITS are the same counters keyed by an account instead of an address ({"name",
"limit", "window"}); the code that owns the action asks `hit_account` and decides what a refusal
means there (a password-reset e-mail not sent, an adoption report refused).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection

from . import conf
from .models import RateCounter

# Counters of windows older than a day are deleted at most once per interval per process: on a
# timer rather than by chance, so the queries a request makes are predictable (query-count tests
# saw a random extra DELETE about once in a thousand requests).
CLEANUP_INTERVAL = 3600.0
_next_cleanup = 0.0


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    methods: frozenset[str] | None
    limit: int
    window: int

    def matches(self, request) -> bool:
        if self.methods is not None and request.method not in self.methods:
            return False
        return bool(self.pattern.search(request.path))


@dataclass(frozen=True)
class Verdict:
    rule: Rule
    hits: int
    retry_after: int

    @property
    def allowed(self) -> bool:
        return self.hits <= self.rule.limit


@lru_cache(maxsize=8)
def _compile(rules: tuple) -> tuple[Rule, ...]:
    compiled = []
    for r in rules:
        r = dict(r)
        methods = r.get("methods")
        compiled.append(Rule(
            name=r["name"], pattern=re.compile(r["path"]),
            methods=frozenset(m.upper() for m in methods) if methods else None,
            limit=int(r["limit"]), window=max(1, int(r["window"])),
        ))
    return tuple(compiled)


def rules() -> tuple[Rule, ...]:
    raw = conf.get("RATE_LIMITS") or []
    return _compile(tuple(tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in r.items())) for r in raw))


def matching_rule(request) -> Rule | None:
    return next((r for r in rules() if r.matches(request)), None)


NEVER = re.compile(r"(?!)")  # account rules are asked for by name, never matched against a path


def hit_account(name: str, account_key: str) -> Verdict | None:
    """Count one `name` action of an account; None when limits are off or no such rule is set."""
    if not conf.get("RATE_LIMITS_ENABLED"):
        return None
    raw = next((r for r in conf.get("ACCOUNT_RATE_LIMITS") or [] if r["name"] == name), None)
    if raw is None:
        return None
    rule = Rule(name=name, pattern=NEVER, methods=None, limit=int(raw["limit"]), window=max(1, int(raw["window"])))
    return hit(rule, f"account:{account_key}")


_UPSERT = (
    "INSERT INTO {t} (bucket, window_start, hits) VALUES (%s, %s, 1) "
    "ON CONFLICT (bucket) DO UPDATE SET "
    "hits = CASE WHEN {t}.window_start = excluded.window_start THEN {t}.hits + 1 ELSE 1 END, "
    "window_start = excluded.window_start "
    "RETURNING hits"
)


def _now() -> float:
    return time.time()


def hit(rule: Rule, address: str, now: float | None = None) -> Verdict:
    """Count one request of `address` under `rule`."""
    now = _now() if now is None else now
    window_start = int(now // rule.window) * rule.window
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(t=table), [f"{rule.name}|{address}", window_start])
        hits = cursor.fetchone()[0]
    global _next_cleanup
    if now >= _next_cleanup:
        _next_cleanup = now + CLEANUP_INTERVAL
        RateCounter.objects.filter(window_start__lt=int(now) - 86400).delete()
    return Verdict(rule=rule, hits=hits, retry_after=max(1, int(window_start + rule.window - now)))


def reset() -> None:
    RateCounter.objects.all().delete()
