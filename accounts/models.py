"""Users carry their role, their region (or province) and their organisation."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from .roles import REGIONAL_ROLES, Role


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.SUBMITTER)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("申报单位：本地区及下辖地区；推荐单位：所在省份；评审专家：所在省份（用于回避）。"),
    )
    organisation = models.CharField(_("所在单位"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def clean(self) -> None:
        super().clean()
        if self.is_superuser and not self.role:
            self.role = Role.ADMIN
        if self.role in REGIONAL_ROLES and self.region_id is None:
            raise ValidationError({"region": _("申报单位和推荐单位必须选择所属地区。")})
        if self.role == Role.RECOMMENDER and self.region and self.region.level != "province":
            raise ValidationError({"region": _("推荐单位的所属地区必须是省级行政区。")})

    def get_display_name(self) -> str:
        """How pages, messages, sheets and e-mails name the person: the full name, else the
        account name (a reviewer without a name still needs to be told apart from the others)."""
        return self.get_full_name() or self.get_username()

    @property
    def province(self):
        return self.region.province if self.region_id else None

    @property
    def effective_role(self) -> str:
        """Superusers act as `admin`, whatever their stored role says."""
        return Role.ADMIN if self.is_superuser else self.role


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def credential_stamp(user: User) -> str:
    """What a token is issued for: the password, the account being enabled, its role and region.

    A token keeps the stamp of its issue and is honoured only while the user's stamp is the same,
    so a password reset or change, a disable (re-enabling does not revive old tokens, the stamp
    includes nothing that comes back) and a new role or region revoke every earlier token,
    whichever path made the change: the account admin, Wagtail's own user admin, the
    forgot-password link, `manage.py changepassword` or a shell (docs/api.md, Authentication).
    """
    value = f"{user.password}|{user.is_active}|{user.is_superuser}|{user.role}|{user.region_id}"
    return salted_hmac("casebook.accounts.credential_stamp", value, algorithm="sha256").hexdigest()


class AccessTokenQuerySet(models.QuerySet):
    def live(self) -> AccessTokenQuerySet:
        return self.filter(expires_at__gt=timezone.now(), user__is_active=True)


class AccessToken(models.Model):
    """A Bearer token; only its hash is stored, so a database leak yields no tokens."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    # credential_stamp(user) when issued; tokens issued before this field existed have "" (revoked).
    user_stamp = models.CharField(max_length=64, default="", editable=False)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.user} · {self.expires_at:%Y-%m-%d %H:%M}"

    @classmethod
    def issue(cls, user: User) -> tuple[AccessToken, str]:
        raw = secrets.token_urlsafe(32)
        hours = settings.CASEBOOK["API_TOKEN_HOURS"]
        token = cls.objects.create(
            user=user, key_hash=_hash_token(raw), expires_at=timezone.now() + timedelta(hours=hours),
            user_stamp=credential_stamp(user),
        )
        return token, raw

    @classmethod
    def find_live(cls, raw: str) -> AccessToken | None:
        """The token if it has not expired and its user's credentials are still those it was issued for."""
        token = cls.objects.live().select_related("user").filter(key_hash=_hash_token(raw)).first()
        if token is None:
            return None
        if not constant_time_compare(token.user_stamp, credential_stamp(token.user)):
            token.delete()  # revoked for good: the stamp never comes back
            return None
        return token
