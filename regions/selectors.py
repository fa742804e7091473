"""The regions a user may pick from: read by the account forms and the case forms alike."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Region, RegionKind, RegionLevel


def regions_under(region: Region | None) -> QuerySet[Region]:
    """`region` and every region under it (what `accounts.permissions.region_in_scope` accepts)."""
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
