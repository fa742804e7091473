"""Read-only questions the admin and the API ask about campaigns and cases."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from . import permissions
from .models import Adoption, Campaign, Case, Objection, ObjectionOutcome
from .states import CaseStatus


def campaign_state_counts(campaign: Campaign) -> dict[str, int]:
    """Cases per state (every state present, zeros included), for the secretariat's dashboard."""
    counts = dict.fromkeys(CaseStatus.values, 0)
    for row in Case.objects.filter(campaign=campaign).values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def campaign_province_counts(campaign: Campaign) -> list[dict]:
    """Per province: name, total and cases per state, sorted by region code."""
    rows: dict[str, dict] = {}
    qs = (
        Case.objects.filter(campaign=campaign)
        .values("province_id", "province__name", "status")
        .annotate(n=Count("pk"))
        .order_by("province_id")
    )
    for row in qs:
        entry = rows.setdefault(
            row["province_id"], {"code": row["province_id"], "name": row["province__name"], "total": 0, "states": {}}
        )
        entry["states"][row["status"]] = row["n"]
        entry["total"] += row["n"]
    return list(rows.values())


def cases_awaiting(user, *, campaign: Campaign, status: str):
    """The cases in `status` that `user` works on, oldest submission first (a worklist)."""
    return (
        permissions.working_cases(user)
        .filter(campaign=campaign, status=status)
        .select_related("region", "category")
        .order_by("submitted_at", "pk")
    )


def campaigns_newest_first() -> QuerySet[Campaign]:
    return Campaign.objects.order_by("-year", "-batch", "title")


def case_totals_per_campaign() -> dict[int, int]:
    """Cases per campaign id (campaigns without cases are absent)."""
    return dict(Case.objects.order_by().values_list("campaign_id").annotate(n=Count("pk")))


def cases_in_state(campaign: Campaign, status: str) -> QuerySet[Case]:
    """The campaign's cases in one state, oldest first (what a batch action would take)."""
    return Case.objects.filter(campaign=campaign, status=status).order_by("pk")


def case_titles(campaign: Campaign, ids: list[int]) -> dict[int, str]:
    """Titles of those of `ids` that are the campaign's cases."""
    return dict(Case.objects.filter(pk__in=ids, campaign=campaign).values_list("pk", "title"))


def cases_by_id(ids: list[int]) -> dict[int, Case]:
    return Case.objects.in_bulk(ids)


def cases_in_notice_with_objections(campaign: Campaign) -> list[Case]:
    """The campaign's cases in 公示, soonest to close first, each with `n_objections` and `n_open`."""
    return list(
        Case.objects.filter(campaign=campaign, status=CaseStatus.IN_NOTICE)
        .select_related("region__province", "tier")
        .annotate(
            n_objections=Count("objections"),
            n_open=Count("objections", filter=Q(objections__outcome=ObjectionOutcome.OPEN)),
        )
        .order_by("notice_ends", "pk")
    )


def campaign_objections(campaign: Campaign) -> list[Objection]:
    """The campaign's objections: open ones first, newest first within each group."""
    return sorted(
        Objection.objects.filter(case__campaign=campaign).select_related("case").order_by("-created_at"),
        key=lambda o: o.outcome != ObjectionOutcome.OPEN,
    )


def objections_with_case() -> QuerySet[Objection]:
    """Objections with what the ruling page shows of them (one query per objection)."""
    return Objection.objects.select_related("case__campaign", "case__region", "ruled_by", "evidence")


def adoption_reports(*, hidden: bool | None = None) -> QuerySet[Adoption]:
    """Adoption reports for the secretariat, newest first; `hidden` narrows them to hidden or public ones."""
    reports = Adoption.objects.select_related("case", "region__province", "reported_by").order_by("-created_at", "-pk")
    return reports if hidden is None else reports.filter(hidden=hidden)
