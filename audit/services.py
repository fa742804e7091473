"""Writing and purging audit events."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from core.net import client_ip

from . import actions
from .context import current_request
from .models import MINIMUM_RETENTION_DAYS, AuditEvent, Outcome

logger = logging.getLogger("casebook.audit")


def _actor(user) -> tuple[int | None, str, str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return None, "", ""
    role = "admin" if getattr(user, "is_superuser", False) else getattr(user, "role", "") or ""
    return user.pk, user.get_username()[:150], role[:16]


def _clean(text: str) -> str:
    """PostgreSQL text and jsonb refuse NUL characters; a hostile path or name may carry them."""
    return text.replace("\x00", "\N{REPLACEMENT CHARACTER}")


def _scrub(value):
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        return {_clean(str(k)): _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _jsonable(details: dict | None) -> dict:
    if not details:
        return {}
    return _scrub(json.loads(json.dumps(details, default=str, ensure_ascii=False)))


def record(
    action: str,
    *,
    outcome: str = Outcome.SUCCESS,
    user=None,
    username: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    ip: str | None = None,
    request: HttpRequest | None = None,
    details: dict | None = None,
    into: dict[int, AuditEvent] | None = None,
) -> AuditEvent | None:
    """Write one audit event; the actor and address default to the current request's.

    `username` names the claimed account when there is no signed-in user (a failed sign-in).
    An audit write never breaks the operation it records: a database error is logged (to the
    `casebook.audit` logger, which also receives every event) and None is returned.
    With `into` (a dict the caller collects events in, e.g. the bucket of `cases.effects.batched()`
    during an import of thousands of cases), the event is added there unsaved, for
    `write_collected` to write with the others in one statement; None writes it at once.
    """
    request = request or current_request()
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and getattr(candidate, "is_authenticated", False):
            user = candidate
    if ip is None and request is not None:
        ip = client_ip(request)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    user_id, actor_name, role = _actor(user)
    event = AuditEvent(
        user_id=user_id,
        username=_clean(actor_name or username or "")[:150],
        role=role,
        action=action[:64],
        outcome=outcome,
        object_type=_clean(object_type or "")[:64],
        object_id=_clean(str(object_id if object_id is not None else ""))[:64],
        ip=ip or None,
        details=_jsonable(details),
    )
    logger.info(
        "audit %s outcome=%s user=%s object=%s:%s ip=%s",
        event.action, event.outcome, event.username or "-", event.object_type or "-", event.object_id or "-",
        event.ip or "-",
    )
    if into is not None:
        into[len(into)] = event
        return event
    try:
        with transaction.atomic():
            event.save()
    except DatabaseError:
        logger.exception("Could not write audit event %s", action)
        return None
    return event


def write_collected(events: dict[int, AuditEvent]) -> None:
    """Events collected with `record(into=...)`, in the order they happened, in one transaction."""
    try:
        with transaction.atomic():
            AuditEvent.objects.bulk_create(list(events.values()), batch_size=500)
    except DatabaseError:
        logger.exception("Could not write %d audit events", len(events))


def retention_days() -> int:
    """Configured retention, never below the minimum (a smaller setting is also a system check error)."""
    return max(int(getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)), MINIMUM_RETENTION_DAYS)


def purge_expired(*, dry_run: bool = False) -> int:
    """Delete events older than the retention period; returns how many (would be) deleted."""
    days = retention_days()
    cutoff = timezone.now() - timedelta(days=days)
    count = AuditEvent.objects.filter(at__lt=cutoff).count()
    if dry_run or count == 0:
        return count
    deleted = AuditEvent.objects.purge_before(cutoff)
    record(actions.AUDIT_PURGE, details={"deleted": deleted, "retention_days": days, "before": cutoff.isoformat()})
    return deleted
