"""The row a nomination locks, so concurrent recommendations cannot exceed a quota."""

from django.db import models


class NominationLock(models.Model):
    """One row per (campaign, province, category); `select_for_update` on it serialises nominations."""

    campaign = models.ForeignKey("cases.Campaign", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    category_code = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "province", "category_code"], name="unique_nomination_lock")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.province_id}/{self.category_code}"
