"""Receivers: count failed sign-ins, start the session clock, and end a disabled user's access."""

from __future__ import annotations

import logging
import time

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save, pre_save

from accounts.models import AccessToken
from accounts.services import end_sessions
from audit import actions, record
from core.net import client_ip

from . import lockout, sessions, totp

logger = logging.getLogger(__name__)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    if request is not None and getattr(request, "casebook_auth_refusal", "") == "locked":
        return  # refused during a lockout: not counted, so the lock ends on time
    username = str(credentials.get("username", "") or "")
    lockout.register_failure(username, client_ip(request) if request is not None else None)


def on_logged_in(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[sessions.LOGIN_AT] = now
    session[sessions.SEEN_AT] = now
    if totp.required_for(user):
        session[totp.PENDING_SESSION_KEY] = True
        session.pop(totp.FAILURES_SESSION_KEY, None)


def remember_active_state(sender, instance, raw: bool = False, **kwargs) -> None:
    instance._sec_was_active = None
    if raw or instance.pk is None or instance.is_active:
        return
    instance._sec_was_active = type(instance).objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()


def on_user_saved(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    """A disabled account loses its sessions and API tokens at once, however it was disabled.

    (Even without this, Django's ModelBackend.get_user refuses inactive users and API tokens
    only count for active users; this removes them, so re-enabling revives nothing.)
    """
    if raw or created or instance.is_active or not getattr(instance, "_sec_was_active", None):
        return
    tokens = AccessToken.objects.filter(user=instance).delete()[0]
    ended = end_sessions(instance)
    record(actions.ACCOUNT_DISABLED, obj=instance, details={"sessions_ended": ended, "tokens_revoked": tokens})


def connect() -> None:
    user_login_failed.connect(on_login_failed, dispatch_uid="security_count_login_failure")
    user_logged_in.connect(on_logged_in, dispatch_uid="security_session_clock")
    pre_save.connect(remember_active_state, sender="accounts.User", dispatch_uid="security_user_was_active")
    post_save.connect(on_user_saved, sender="accounts.User", dispatch_uid="security_disabled_user")
