"""Read-only helpers for the admin: the choices a user may pick from."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from ..models import Campaign, CampaignCategory, Case, Region
from ..models.regions import RegionKind, RegionLevel
from ..states import TIER_HOLDING_STATES, CampaignStatus


def regions_under(region: Region | None) -> QuerySet[Region]:
    """`region` and every region under it (what `permissions.region_in_scope` accepts)."""
    qs = Region.objects.select_related("province").order_by("code")
    if region is None:
        return qs.none()
    if region.level == RegionLevel.PROVINCE:
        scoped = qs.filter(Q(code=region.code) | Q(province=region.code))
    elif region.level == RegionLevel.PREFECTURE:
        scoped = qs.filter(Q(code=region.code) | Q(parent=region.code))
    else:
        scoped = qs.filter(code=region.code)
    # Statistical groupings (市辖区, 省直辖县级行政区划) are not places a case belongs to.
    return scoped.exclude(Q(kind=RegionKind.GROUPING) & ~Q(code=region.code))


def all_regions() -> QuerySet[Region]:
    return Region.objects.select_related("province").exclude(kind=RegionKind.GROUPING).order_by("code")


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
