"""Objections (异议) to a case in public notice, made in the objector's real name."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ObjectionOutcome(models.TextChoices):
    OPEN = "open", _("核查中")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


def new_reference() -> str:
    """A reference the objector can quote: date plus random letters (not guessable, not sequential)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"YY{timezone.localdate():%Y%m%d}-" + "".join(secrets.choice(alphabet) for _ in range(6))


class Objection(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="objections")
    reference = models.CharField(_("受理编号"), max_length=24, unique=True, default=new_reference, editable=False)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20)
    email = models.EmailField(_("电子邮箱"))
    reason = models.TextField(_("异议理由"), max_length=3000)
    evidence = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("证明材料"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("处理结果"), max_length=10, choices=ObjectionOutcome.choices, default=ObjectionOutcome.OPEN, db_index=True)
    conclusion = models.TextField(_("核查结论"), blank=True)
    ruled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ruled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    personal_data_erased_at = models.DateTimeField(_("个人信息删除时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")

    def __str__(self) -> str:
        return self.reference
