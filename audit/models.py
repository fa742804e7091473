"""One immutable row per audited event.

Like `cases.models.history.CaseTransition`, rows can be added but never edited or deleted
through the application; the only way out is `AuditEvent.objects.purge_before(...)`, which
`manage.py purge_audit_events` calls and which refuses anything younger than the minimum
retention. On PostgreSQL a trigger (migration 0002) enforces the same rules in the database.

The actor is kept as a snapshot (id, username, role) rather than a foreign key, so an event
outlives its user and deleting a user never has to touch the log.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# 等保 2.0 level 3: audit records kept at least six months. Settings can only lengthen this.
MINIMUM_RETENTION_DAYS = 180


class ImmutableAuditError(Exception):
    pass


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableAuditError("Audit events cannot be edited.")

    def delete(self):
        raise ImmutableAuditError("Audit events cannot be deleted; see purge_before().")

    def bulk_update(self, *args, **kwargs):
        raise ImmutableAuditError("Audit events cannot be edited.")

    def purge_before(self, cutoff: datetime) -> int:
        """Delete events older than `cutoff`; never younger than the minimum retention."""
        floor = timezone.now() - timedelta(days=MINIMUM_RETENTION_DAYS)
        if cutoff > floor:
            raise ImmutableAuditError(
                f"Audit events younger than {MINIMUM_RETENTION_DAYS} days cannot be deleted."
            )
        doomed = AuditEvent.objects.filter(at__lt=cutoff)
        return doomed._raw_delete(doomed.db)


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True, editable=False)
    user_id = models.BigIntegerField(_("用户 ID"), null=True, blank=True, db_index=True, editable=False)
    username = models.CharField(_("账号"), max_length=150, blank=True, editable=False)
    role = models.CharField(_("角色"), max_length=16, blank=True, editable=False)
    action = models.CharField(_("操作"), max_length=64, db_index=True, editable=False)
    outcome = models.CharField(
        _("结果"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS, editable=False
    )
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True, editable=False)
    object_id = models.CharField(_("对象 ID"), max_length=64, blank=True, editable=False)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True, editable=False)
    details = models.JSONField(_("详情"), default=dict, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["username", "at"], name="audit_username_at_idx"),
            models.Index(fields=["ip", "at"], name="audit_ip_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action} {self.outcome}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableAuditError("Audit events cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableAuditError("Audit events cannot be deleted.")
