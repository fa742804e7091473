"""Adoptions (借鉴推广): another region reports that it took up a published practice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Adoption(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="adoptions")
    region = models.ForeignKey("regions.Region", verbose_name=_("借鉴地区"), on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    since = models.DateField(_("开始借鉴时间"))
    summary = models.TextField(_("借鉴做法"), max_length=1000, help_text=_("借鉴了哪些做法，做了哪些调整。"))
    results = models.TextField(_("取得成效"), max_length=1000, blank=True)
    hidden = models.BooleanField(_("已隐藏"), default=False)
    hidden_reason = models.CharField(_("隐藏原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-since", "-pk"]
        verbose_name = _("借鉴推广")
        verbose_name_plural = _("借鉴推广")
        constraints = [
            # One live report per case and reporting region; its author edits it (cases/adoptions.py).
            models.UniqueConstraint(fields=["case", "region"], condition=models.Q(hidden=False),
                                    name="adoption_one_per_region"),
        ]

    def __str__(self) -> str:
        return f"{self.region} ← {self.case_id}"
