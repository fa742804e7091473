"""Sign-in lockout, shared by every app server through the database.

- 5 failures (LOGIN_LOCKOUT_FAILURES) of one (account, address) pair within
  LOGIN_FAILURE_WINDOW_SECONDS lock that pair for LOGIN_LOCKOUT_SECONDS (10 minutes);
- 50 failures (LOGIN_IP_MAX_FAILURES) from one address within the window, whatever the
  accounts, lock the address for the same time.

The account is the name typed in, whether or not such a user exists, so a lockout says nothing
about which accounts exist. Attempts refused during a lockout are not counted (the lock ends on
time), and a successful sign-in clears the pair's count. `manage.py unlock_user` lifts a lock.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.net import address_key

from . import conf
from .models import LoginThrottle

CLEANUP_PROBABILITY = 0.01


def _account_hash(username: str) -> str:
    return hashlib.sha256((username or "").strip().casefold().encode()).hexdigest()


def account_key(username: str, ip: str | None) -> str:
    return f"acct:{_account_hash(username)}|{address_key(ip)}"


def address_lock_key(ip: str | None) -> str:
    return f"ip:{address_key(ip)}"


@dataclass(frozen=True)
class Lock:
    until: datetime
    scope: str  # "account" or "address"

    @property
    def minutes_left(self) -> int:
        seconds = (self.until - timezone.now()).total_seconds()
        return max(1, int(seconds + 59) // 60)


def current_lock(username: str, ip: str | None) -> Lock | None:
    now = timezone.now()
    keys = {account_key(username, ip): "account", address_lock_key(ip): "address"}
    row = (
        LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now)
        .order_by("-locked_until")
        .only("key", "locked_until")
        .first()
    )
    return Lock(until=row.locked_until, scope=keys[row.key]) if row else None


def _count(key: str, threshold: int, now: datetime) -> None:
    window = timedelta(seconds=conf.get("LOGIN_FAILURE_WINDOW_SECONDS"))
    lock_for = timedelta(seconds=conf.get("LOGIN_LOCKOUT_SECONDS"))
    row = LoginThrottle.objects.select_for_update().filter(key=key).first()
    if row is None:
        try:
            with transaction.atomic():
                row = LoginThrottle.objects.create(key=key, failures=0, window_started_at=now)
        except IntegrityError:  # another server created it first
            row = LoginThrottle.objects.select_for_update().get(key=key)
    if row.window_started_at < now - window:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    if row.failures >= threshold:
        row.locked_until = now + lock_for
        row.failures, row.window_started_at = 0, now
    row.save()


def register_failure(username: str, ip: str | None) -> None:
    now = timezone.now()
    with transaction.atomic():
        _count(account_key(username, ip), int(conf.get("LOGIN_LOCKOUT_FAILURES")), now)
        _count(address_lock_key(ip), int(conf.get("LOGIN_IP_MAX_FAILURES")), now)
    if random.random() < CLEANUP_PROBABILITY:  # now and then, forget counts nobody needs any more
        purge_stale()


def register_success(username: str, ip: str | None) -> None:
    LoginThrottle.objects.filter(key=account_key(username, ip)).delete()


def unlock(username: str | None = None, ip: str | None = None) -> int:
    """Lift the locks (and counts) of an account from every address, or of one address."""
    deleted = 0
    if username:
        deleted += LoginThrottle.objects.filter(key__startswith=f"acct:{_account_hash(username)}|").delete()[0]
    if ip:
        deleted += LoginThrottle.objects.filter(key=address_lock_key(ip)).delete()[0]
    return deleted


def purge_stale(older_than: timedelta = timedelta(days=1)) -> int:
    """Delete counters untouched for a day that hold no lock."""
    cutoff = timezone.now() - older_than
    return LoginThrottle.objects.filter(updated_at__lt=cutoff).exclude(locked_until__gt=timezone.now()).delete()[0]
