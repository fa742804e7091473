"""Session limits: SESSION_IDLE_TIMEOUT (30 min) without activity, SESSION_ABSOLUTE_TIMEOUT (12 h) in all.

The clock starts at sign-in (signals.on_logged_in) and is kept in the session itself, so it
works with every session backend and across app servers. Activity is any request except those
a page makes by itself (SESSION_PASSIVE_PATHS: our session-status poll, Wagtail's editing-session
ping every few seconds); it is written at most once a minute (ACTIVITY_RESOLUTION).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth import SESSION_KEY

from . import conf

LOGIN_AT = "_sec_login_at"
SEEN_AT = "_sec_seen_at"
ACTIVITY_RESOLUTION = 60


@dataclass(frozen=True)
class Remaining:
    idle: int
    absolute: int

    @property
    def seconds(self) -> int:
        return min(self.idle, self.absolute)

    @property
    def expired(self) -> bool:
        return self.seconds <= 0


@lru_cache(maxsize=4)
def _passive(patterns: tuple[str, ...]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def is_passive(path: str) -> bool:
    """Requests a page makes by itself, which say nothing about a person being there."""
    pattern = _passive(tuple(conf.get("SESSION_PASSIVE_PATHS")))
    return bool(pattern and pattern.search(path))


def is_signed_in(session) -> bool:
    return session is not None and SESSION_KEY in session


def remaining(session, now: float | None = None) -> Remaining:
    now = time.time() if now is None else now
    login_at = session.get(LOGIN_AT, now)
    seen_at = session.get(SEEN_AT, now)
    return Remaining(
        idle=int(seen_at + conf.get("SESSION_IDLE_TIMEOUT") - now),
        absolute=int(login_at + conf.get("SESSION_ABSOLUTE_TIMEOUT") - now),
    )


def start_clock_if_missing(session, now: float | None = None) -> None:
    """Sessions that predate these limits (or tests' hand-made ones) start their clock now."""
    now = int(time.time() if now is None else now)
    if LOGIN_AT not in session:
        session[LOGIN_AT] = now
    if SEEN_AT not in session:
        session[SEEN_AT] = now


def touch(session, now: float | None = None, *, force: bool = False) -> None:
    now = int(time.time() if now is None else now)
    if force or now - int(session.get(SEEN_AT, 0)) >= ACTIVITY_RESOLUTION:
        session[SEEN_AT] = now
