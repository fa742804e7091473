"""Signal receivers that feed the audit log: sign-ins, API tokens, document downloads.

Transitions and scores are recorded by cases itself (cases/audit_trail.py: audit stands below
cases and never imports it). File downloads through cases/file_views.py are recorded by
`audit.decorators.audited_download`, exports by a call in the export functions themselves,
refused accesses by the middleware.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save

from . import actions, record
from .models import Outcome


def on_login(sender, request, user, **kwargs) -> None:
    record(
        actions.LOGIN_SUCCESS, user=user, request=request,
        details={"channel": "session", "path": getattr(request, "path", "")[:200]},
    )


def on_logout(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    reason = getattr(request, "casebook_logout_reason", "") if request is not None else ""
    record(actions.SESSION_EXPIRED if reason else actions.LOGOUT, user=user, request=request,
           details={"reason": reason} if reason else None)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    refusal = getattr(request, "casebook_auth_refusal", "") if request is not None else ""
    username = str(credentials.get("username", "") or "")
    record(
        actions.LOGIN_LOCKED if refusal == "locked" else actions.LOGIN_FAILURE,
        outcome=Outcome.DENIED if refusal == "locked" else Outcome.FAILURE,
        username=username, request=request,
        details={"reason": refusal or "credentials", "path": getattr(request, "path", "")[:200]},
    )


def on_token_issued(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        record(actions.LOGIN_SUCCESS, user=instance.user, details={"channel": "api"})


def on_document_served(sender, instance, request=None, **kwargs) -> None:
    record(actions.DOCUMENT_DOWNLOAD, obj=instance, request=request, details={"title": instance.title[:200]})


def connect() -> None:
    from wagtail.documents.models import document_served

    user_logged_in.connect(on_login, dispatch_uid="audit_login")
    user_logged_out.connect(on_logout, dispatch_uid="audit_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
    post_save.connect(on_token_issued, sender="accounts.AccessToken", dispatch_uid="audit_token_issued")
    document_served.connect(on_document_served, dispatch_uid="audit_document_served")
