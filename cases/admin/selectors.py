"""Read-only helpers for the admin: the choices a user may pick from."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from ..models import Campaign, CampaignCategory, Case
from ..states import TIER_HOLDING_STATES, CampaignStatus


def open_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(status=CampaignStatus.OPEN).order_by("submission_closes", "title")


def categories_of_open_campaigns() -> QuerySet[CampaignCategory]:
    return CampaignCategory.objects.filter(campaign__status=CampaignStatus.OPEN).select_related("campaign")


def tier_usage(campaign: Campaign) -> list[dict]:
    """Each tier of the campaign with its quota and the places taken, for the selection page."""
    used = dict(
        Case.objects.filter(campaign=campaign, tier__isnull=False, status__in=TIER_HOLDING_STATES)
        .order_by()
        .values_list("tier_id")
        .annotate(n=Count("pk"))
    )
    return [
        {"tier": t, "code": t.code, "title": t.title, "quota": t.quota, "used": used.get(t.pk, 0)}
        for t in campaign.tiers.all()
    ]
