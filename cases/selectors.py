"""Read-only questions the admin and the API ask about campaigns and cases."""

from __future__ import annotations

from django.db.models import Count

from . import permissions
from .models import Campaign, Case
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
