"""The audit trail of a case: one immutable row per transition."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableRecordError(Exception):
    pass


class CaseTransitionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError("Case history cannot be edited.")

    def delete(self):
        raise ImmutableRecordError("Case history cannot be deleted.")


class CaseTransition(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="history")
    transition = models.CharField(_("操作"), max_length=32)
    from_state = models.CharField(_("原状态"), max_length=16, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    reason = models.TextField(_("理由"), blank=True)
    extra = models.JSONField(_("附加信息"), default=dict, blank=True)

    objects = CaseTransitionQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")

    def __str__(self) -> str:
        return f"{self.transition}: {self.from_state or '-'} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableRecordError("Case history cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Case history cannot be deleted.")
