"""The authentication backend: Django's ModelBackend behind the lockout (and the API's TOTP step).

Both the Wagtail admin sign-in form and POST /api/v1/auth/token call
`django.contrib.auth.authenticate`, so both pass through here:

1. a locked (account, address) pair or address is refused before the password is checked;
2. otherwise the password is checked by ModelBackend (same answer for an unknown user, a wrong
   password and a disabled account);
3. a user with a confirmed TOTP device signing in for an API token must send a valid `otp`.

A refusal raises PermissionDenied, which makes `authenticate` return None and send
`user_login_failed`; the reason is left on the request (`casebook_auth_refusal`) for the audit
log, the sign-in form's message and the API's 429 (see signals.py and middleware.py).
Failures are counted by the `user_login_failed` receiver in signals.py.
"""

from __future__ import annotations

import json

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http.request import RawPostDataException
from django.urls import reverse

from core.net import client_ip

from . import lockout, totp


def _refuse(request, reason: str):
    if request is not None:
        request.casebook_auth_refusal = reason
    raise PermissionDenied(reason)


def _otp_from(request) -> str:
    if request is None:
        return ""
    try:
        if (request.content_type or "").startswith("application/json"):
            body = json.loads(request.body or b"{}")
            return str(body.get("otp", "") if isinstance(body, dict) else "")
        return str(request.POST.get("otp", ""))
    except (RawPostDataException, ValueError, UnicodeDecodeError):
        return ""


def is_interactive_login(request) -> bool:
    """The admin's sign-in page: its second step is a page of its own (views.TOTPVerifyView)."""
    return request is not None and request.path == reverse("wagtailadmin_login")


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        ip = client_ip(request) if request is not None else None
        if username is not None and lockout.current_lock(str(username), ip) is not None:
            _refuse(request, "locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            return None
        if totp.required_for(user) and not is_interactive_login(request):
            device = totp.confirmed_device(user)
            if not totp.verify(device, _otp_from(request)):
                _refuse(request, "otp")
        lockout.register_success(str(username), ip)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
