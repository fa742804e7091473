"""Reads for the public site: only published cases ever leave here (DOMAIN.md §3).

Every selector runs a fixed number of queries, whatever the number of cases.
"""

from __future__ import annotations

from django.db.models import QuerySet

from cases.models import Campaign, Case
from cases.permissions import PUBLIC_STATES
from cases.states import CampaignStatus


def published_cases() -> QuerySet[Case]:
    return Case.objects.filter(status__in=PUBLIC_STATES)


def headline_counts() -> dict[str, int]:
    """Published cases, the provinces they come from, and the public campaigns (3 queries)."""
    published = published_cases()
    return {
        "cases": published.count(),
        "provinces": published.values("province").distinct().count(),
        "campaigns": Campaign.objects.exclude(status=CampaignStatus.DRAFT).count(),
    }


def latest_published(*, limit: int = 8) -> list[Case]:
    """The newest published cases with what a card shows, in one query."""
    return list(
        published_cases()
        .select_related("region", "province", "campaign", "tier")
        .only(
            "id", "title", "summary", "published_at", "region", "province", "campaign", "tier",
            "region__name", "province__name", "campaign__title", "campaign__year", "tier__title",
        )
        .order_by("-published_at", "-pk")[:limit]
    )
