"""Filter codes: checked before searching, and labelled (in Chinese) after counting."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Campaign, Tier
from cases.states import CampaignStatus
from cases.taxonomies import KeyGroup, Scenario, TaskArea, label_of
from regions.loading import province_names

from .query import DIMENSIONS, FacetValue, QueryError, SearchQuery

TAXONOMIES = {"scenario": Scenario, "task": TaskArea, "group": KeyGroup}
DIMENSION_NAMES = {
    "province": gettext_lazy("省份"), "scenario": gettext_lazy("应用场景"), "task": gettext_lazy("主要任务"),
    "group": gettext_lazy("重点群体"), "campaign": gettext_lazy("征集活动"), "tier": gettext_lazy("入选等级"),
    "year": gettext_lazy("年度"),
}


def _unknown(dim: str, values) -> QueryError:
    return QueryError(
        dim,
        _("未知的%(name)s：%(values)s") % {"name": DIMENSION_NAMES[dim], "values": "、".join(map(str, values))},
    )


def check_codes(query: SearchQuery) -> None:
    """Every filter value must be a known code: a typo is a 400, not a silently empty page."""
    for dim, enum in TAXONOMIES.items():
        unknown = [v for v in getattr(query, dim) if v not in enum.values]
        if unknown:
            raise _unknown(dim, unknown)
    if query.province:
        known = province_names()
        if unknown := [v for v in query.province if v not in known]:
            raise _unknown("province", unknown)
    if query.campaign:
        known = set(
            Campaign.objects.filter(slug__in=query.campaign)
            .exclude(status=CampaignStatus.DRAFT)
            .values_list("slug", flat=True)
        )
        if unknown := [v for v in query.campaign if v not in known]:
            raise _unknown("campaign", unknown)
    if query.tier:
        known = set(Tier.objects.filter(code__in=query.tier).values_list("code", flat=True))
        if unknown := [v for v in query.tier if v not in known]:
            raise _unknown("tier", unknown)
    if bad := [v for v in query.year if not isinstance(v, int) or not 2000 <= v <= 2100]:
        raise _unknown("year", bad)


def labels(dim: str, values: list) -> dict:
    """Chinese labels for facet values, one query per dimension at most."""
    if dim in TAXONOMIES:
        return {v: label_of(TAXONOMIES[dim], v) for v in values}
    if dim == "province":
        names = province_names()
        return {v: names[v] for v in values if v in names}
    if dim == "campaign":
        return dict(Campaign.objects.filter(slug__in=values).values_list("slug", "title"))
    if dim == "tier":
        found: dict[str, str] = {}
        for code, title in Tier.objects.filter(code__in=values).order_by("sort_order", "pk").values_list("code", "title"):
            found.setdefault(code, title)
        return found
    return {v: str(v) for v in values}


def order_key(dim: str, item: FacetValue):
    """Counts first; years newest first; then by code, so the order is stable."""
    if dim == "year":
        return (-int(item.value),)
    return (-item.count, str(item.value))


def build_facets(counts: dict[str, dict]) -> dict[str, list[FacetValue]]:
    """{dimension: {value: count}} → labelled, ordered facet lists for every dimension."""
    out: dict[str, list[FacetValue]] = {}
    for dim in DIMENSIONS:
        values = {v: n for v, n in counts.get(dim, {}).items() if n}
        names = labels(dim, list(values)) if values else {}
        items = [FacetValue(value=v, label=str(names.get(v, v)), count=n) for v, n in values.items()]
        out[dim] = sorted(items, key=lambda item, dim=dim: order_key(dim, item))
    return out
