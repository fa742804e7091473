"""Reads for the public site: only published cases ever leave here (docs/domain.md §3).

Cases in public notice (公示) are read by the notice selectors only, for the notice pages.
Every selector runs a fixed number of queries, whatever the number of cases, images,
indicators or adoptions: related rows come with `select_related` or one prefetch each.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet

from cases.models import Adoption, Campaign, Case, CaseImage, CaseIndicator, CaseLink, Tier
from cases.permissions import PUBLIC_STATES
from cases.states import CampaignStatus, CaseStatus

# What a case card shows (home, library, campaign and related lists).
CARD_FIELDS = (
    "id", "title", "summary", "published_at", "notice_ends", "status", "scenarios", "key_groups", "task_area",
    "region", "province", "campaign", "tier",
    "region__name", "province__name", "campaign__title", "campaign__year", "campaign__slug",
    "tier__title", "tier__code", "tier__sort_order",
)


def published_cases() -> QuerySet[Case]:
    return Case.objects.filter(status__in=PUBLIC_STATES)


def _images() -> Prefetch:
    """Images in display order with their Wagtail image (for dimensions), in one query."""
    return Prefetch("images", queryset=CaseImage.objects.select_related("image").order_by("sort_order", "pk"))


def _cards(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("region", "province", "campaign", "tier").only(*CARD_FIELDS).prefetch_related(_images())


def public_campaigns() -> QuerySet[Campaign]:
    """Campaigns the public sees: all but those still in preparation."""
    return Campaign.objects.exclude(status=CampaignStatus.DRAFT)


def headline_counts() -> dict[str, int]:
    """Published cases, their provinces, public campaigns and adopting regions (4 queries)."""
    published = published_cases()
    return {
        "cases": published.count(),
        "provinces": published.values("province").distinct().count(),
        "campaigns": public_campaigns().count(),
        "adoptions": Adoption.objects.filter(hidden=False, case__status__in=PUBLIC_STATES)
        .values("region").distinct().count(),
    }


def latest_published(*, limit: int = 8) -> list[Case]:
    """The newest published cases with what a card shows (2 queries)."""
    return list(_cards(published_cases()).order_by("-published_at", "-pk")[:limit])


def featured(*, limit: int = 3) -> list[Case]:
    """Showcase cases: the top tier of each campaign first (示范案例), newest first.

    Tiers are few, so each tier level (sort order) gets its newest `limit` ids through the
    published-date index, and the cards are read for the first `limit` of them: 3 queries plus
    one per tier level, whatever the number of cases. Sorting every published case by its tier's
    order in one query took 80 ms of database time on 10,000 published cases.
    """
    by_order: dict[int, list[int]] = {}
    for tier_id, order in Tier.objects.values_list("id", "sort_order"):
        by_order.setdefault(order, []).append(tier_id)
    ids: list[int] = []
    for order in sorted(by_order):
        newest = published_cases().filter(tier_id__in=by_order[order]).order_by("-published_at", "-pk")
        ids += list(newest.values_list("pk", flat=True)[:limit])
    ids = ids[:limit]
    return cases_by_ids(ids)


def open_campaigns() -> list[Campaign]:
    """Campaigns taking submissions now, the nearest deadline first (1 query)."""
    return list(Campaign.objects.filter(status=CampaignStatus.OPEN).order_by("submission_closes", "pk"))


def cases_by_ids(ids: Iterable[int]) -> list[Case]:
    """Published cases in the order given (search hits); ids no longer published are dropped (2 queries)."""
    ids = list(ids)
    if not ids:
        return []
    found = {c.pk: c for c in _cards(published_cases().filter(pk__in=ids))}
    return [found[i] for i in ids if i in found]


def published_case(pk: int) -> Case | None:
    """Everything a case page shows except its attachments, adoptions and related cases (5 queries)."""
    return (
        published_cases()
        .filter(pk=pk)
        .select_related("region", "province", "prefecture", "campaign", "tier", "category")
        .prefetch_related(
            _images(),
            Prefetch("indicators", queryset=CaseIndicator.objects.order_by("sort_order", "pk")),
            Prefetch("links", queryset=CaseLink.objects.order_by("sort_order", "pk")),
        )
        .first()
    )


def case_title(pk: int) -> Case | None:
    """Any case's title and state, whatever its state (the objection confirmation names the case
    the visitor objected to, which may have left the notice since; 1 query)."""
    return Case.objects.filter(pk=pk).only("id", "title", "status").first()


def published_case_brief(pk: int) -> Case | None:
    """The case for the part of its page that depends on the visitor, when the rest is cached
    (`website.case_page`): still published? when last changed? its title and region (1 query)."""
    return (
        published_cases().filter(pk=pk).select_related("region")
        .only("id", "title", "status", "updated_at", "region").first()
    )


def public_adoptions(case: Case) -> list[Adoption]:
    """Visible adoption reports of a case, with their region and province (1 query)."""
    return list(
        case.adoptions.filter(hidden=False).select_related("region", "region__province").order_by("-since", "-pk")
    )


# --- campaigns --------------------------------------------------------------------------


def campaign_list() -> list[Campaign]:
    """Public campaigns with their number of published cases (1 query)."""
    return list(
        public_campaigns()
        .annotate(published_count=Count("cases", filter=Q(cases__status__in=PUBLIC_STATES)))
        .order_by("-year", "-batch", "title", "pk")
    )


def public_campaign(slug: str) -> Campaign | None:
    return public_campaigns().filter(slug=slug).first()


def campaign_timeline(campaign: Campaign) -> dict:
    """When the notice ran and when results were published (1 query; dates only, no case data)."""
    return Case.objects.filter(campaign=campaign).aggregate(
        notice_starts=Min("notice_starts", filter=Q(notice_starts__isnull=False)),
        notice_ends=Max("notice_ends", filter=Q(notice_ends__isnull=False)),
        first_published=Min("published_at", filter=Q(status__in=PUBLIC_STATES)),
        last_published=Max("published_at", filter=Q(status__in=PUBLIC_STATES)),
    )


def campaign_tier_counts(campaign: Campaign) -> list[tuple[Tier | None, int]]:
    """Published cases of a campaign per tier, in the tiers' order, untiered last (2 queries)."""
    tiers = list(campaign.tiers.order_by("sort_order", "pk"))
    counts = dict(
        published_cases().filter(campaign=campaign).order_by().values("tier").annotate(n=Count("pk")).values_list("tier", "n")
    )
    ordered: list[tuple[Tier | None, int]] = [(t, counts[t.pk]) for t in tiers if counts.get(t.pk)]
    if counts.get(None):
        ordered.append((None, counts[None]))
    return ordered


def campaign_cases(campaign: Campaign, *, offset: int, limit: int) -> list[Case]:
    """One page of a campaign's published cases: by tier, then province (1 query; no images)."""
    return list(
        published_cases()
        .filter(campaign=campaign)
        .select_related("region", "province", "campaign", "tier")
        .only(*CARD_FIELDS)
        .order_by(F("tier__sort_order").asc(nulls_last=True), "tier_id", "province_id", "pk")[offset:offset + limit]
    )


def campaign_in_notice_count(campaign: Campaign) -> int:
    return Case.objects.filter(campaign=campaign, status=CaseStatus.IN_NOTICE).count()


# --- public notice (公示): the only readers of cases in notice ----------------------------


def _noticed() -> QuerySet[Case]:
    return Case.objects.filter(status=CaseStatus.IN_NOTICE)


def noticed_count() -> int:
    return _noticed().count()


def noticed_cases(*, offset: int = 0, limit: int | None = None) -> list[Case]:
    """Cases in public notice, the soonest to close first (1 query; their images are not public yet)."""
    qs = _noticed().select_related("region", "province", "campaign", "tier").only(*CARD_FIELDS).order_by("notice_ends", "pk")
    return list(qs[offset:] if limit is None else qs[offset:offset + limit])


def noticed_case(pk: int) -> Case | None:
    """A case in notice with what its notice page shows, text only (3 queries)."""
    return (
        Case.objects.filter(pk=pk, status=CaseStatus.IN_NOTICE)
        .select_related("region", "province", "prefecture", "campaign", "tier", "category")
        .prefetch_related(
            Prefetch("indicators", queryset=CaseIndicator.objects.order_by("sort_order", "pk")),
            Prefetch("links", queryset=CaseLink.objects.order_by("sort_order", "pk")),
        )
        .first()
    )
