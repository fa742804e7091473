"""Optional TOTP (RFC 6238) second factor for the secretariat and administrators.

Off unless TOTP_ENABLED. Then a secretariat user or administrator may enrol an authenticator app
(/admin/security/totp/); with TOTP_REQUIRED they must. A user with a confirmed device signs in
to the admin in two steps (password, then a 6-digit code; the session is held "pending" until
then, see middleware.py), and to the API by sending `otp` beside the password.
"""

from __future__ import annotations

import hmac
import time
from datetime import UTC, datetime

import pyotp
from django.db import transaction
from django.utils import timezone

from accounts.permissions import is_staff_role

from . import conf
from .models import TOTPDevice

PENDING_SESSION_KEY = "_sec_otp_pending"
FAILURES_SESSION_KEY = "_sec_otp_failures"
MAX_CODE_FAILURES = 5


def enabled() -> bool:
    return bool(conf.get("TOTP_ENABLED"))


def eligible(user) -> bool:
    """Who may (or, with TOTP_REQUIRED, must) use a second factor: the secretariat and administrators."""
    return enabled() and is_staff_role(user)


def confirmed_device(user) -> TOTPDevice | None:
    if not enabled() or user is None or not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def required_for(user) -> bool:
    """Whether signing in as `user` needs a code now."""
    return confirmed_device(user) is not None


def must_enrol(user) -> bool:
    return eligible(user) and bool(conf.get("TOTP_REQUIRED")) and confirmed_device(user) is None


def start_enrolment(user) -> TOTPDevice:
    """The user's device: the existing one, or a new unconfirmed secret."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    return device


def new_secret(device: TOTPDevice) -> None:
    """Replace an unconfirmed device's secret (the user lost the first one before confirming)."""
    if device.confirmed_at is None:
        device.secret = pyotp.random_base32()
        device.save(update_fields=["secret"])


def provisioning_uri(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.get_username(), issuer_name=conf.get("TOTP_ISSUER")
    )


def _now() -> float:
    return time.time()


def _matching_counter(secret: str, code: str, at: float) -> int | None:
    code = "".join(ch for ch in str(code or "") if ch.isascii() and ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now_counter = totp.timecode(datetime.fromtimestamp(at, tz=UTC))
    for offset in (0, -1, 1):  # one step of clock drift either way
        if hmac.compare_digest(totp.generate_otp(now_counter + offset), code):
            return now_counter + offset
    return None


def verify(device: TOTPDevice, code: str, *, at: float | None = None) -> bool:
    """Check a code and consume it: each time step's code is accepted at most once."""
    counter = _matching_counter(device.secret, code, _now() if at is None else at)
    if counter is None:
        return False
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if counter <= locked.last_counter:
            return False
        locked.last_counter = counter
        update = ["last_counter"]
        if locked.confirmed_at is None:
            locked.confirmed_at = timezone.now()
            update.append("confirmed_at")
        locked.save(update_fields=update)
    device.refresh_from_db()
    return True


def remove(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
