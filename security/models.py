"""Counters shared by every app server (kept in the database), and TOTP devices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginThrottle(models.Model):
    """Failed sign-ins for one key: an (account, address) pair or an address alone.

    `key` is `acct:<sha256 of the lower-cased username>|<address>` or `ip:<address>`; the
    username is hashed because people type passwords into the username field.
    """

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("登录失败计数")
        verbose_name_plural = _("登录失败计数")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"


class RateCounter(models.Model):
    """Requests of one rule from one address in the current fixed window (see ratelimit.py)."""

    bucket = models.CharField(max_length=200, unique=True)
    window_start = models.BigIntegerField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("访问频率计数")
        verbose_name_plural = _("访问频率计数")

    def __str__(self) -> str:
        return f"{self.bucket}: {self.hits}"


class TOTPDevice(models.Model):
    """An authenticator app (RFC 6238) enrolled by a user; confirmed once a code has been entered."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The time step of the last accepted code: a code can't be used twice.
    last_counter = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("动态口令设备")
        verbose_name_plural = _("动态口令设备")

    def __str__(self) -> str:
        return f"TOTP · {self.user}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
