"""The dashboard panel 我的案例: working cases by state, the newest, and open deadlines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import Count
from django.urls import reverse
from wagtail.admin.ui.components import Component

from accounts.roles import Role

from .. import permissions
from ..models import Campaign
from ..states import CaseStatus
from . import display

NEWEST = 5


def _state_rows(counts: Mapping[str, int], index_url: str, extra_query: str = "") -> list[dict[str, Any]]:
    return [
        {
            "status": code,
            "label": label,
            "count": counts[code],
            "url": f"{index_url}?status={code}{extra_query}",
        }
        for code, label in CaseStatus.choices
        if counts.get(code)
    ]


class MyCasesPanel(Component):
    """Submitters, recommenders and reviewers: their working cases."""

    name = "my_cases"
    order = 50
    template_name = "cases/admin/dashboard/my_cases.html"

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        request = parent_context["request"]
        user = request.user
        cases = permissions.working_cases(user)
        counts = dict(cases.order_by().values_list("status").annotate(n=Count("pk")))
        index_url = reverse("cases:index")
        newest = cases.select_related("campaign", "region", "region__province").order_by("-updated_at")[:NEWEST]
        return {
            "states": _state_rows(counts, index_url),
            "total": sum(counts.values()),
            "newest": [
                {
                    "case": c,
                    "url": reverse("cases:edit" if permissions.can_edit_case(user, c) else "cases:inspect", args=[c.pk]),
                }
                for c in newest
            ],
            "deadlines": display.campaign_deadlines(),
            "index_url": index_url,
            "can_create": permissions.can_create_case(user),
            "add_url": reverse("cases:add"),
            "is_recommender": permissions.role_of(user) == Role.RECOMMENDER,
        }


class CampaignOverviewPanel(Component):
    """The secretariat: case counts per campaign and state."""

    name = "campaign_overview"
    order = 50
    template_name = "cases/admin/dashboard/campaign_overview.html"

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        user = parent_context["request"].user
        rows = (
            permissions.visible_cases(user)
            .order_by()
            .values_list("campaign_id", "status")
            .annotate(n=Count("pk"))
        )
        by_campaign: dict[int, dict[str, int]] = defaultdict(dict)
        for campaign_id, status, n in rows:
            by_campaign[campaign_id][status] = n
        index_url = reverse("cases:index")
        campaigns = []
        for campaign in Campaign.objects.order_by("-year", "-batch", "title"):
            counts = by_campaign.get(campaign.pk, {})
            campaigns.append(
                {
                    "campaign": campaign,
                    "total": sum(counts.values()),
                    "states": _state_rows(counts, index_url, f"&campaign={campaign.pk}"),
                    "edit_url": reverse("campaigns:edit", args=[campaign.pk]),
                    "desk_url": reverse("desk:dashboard", args=[campaign.pk]),
                }
            )
        return {"campaigns": campaigns, "deadlines": display.campaign_deadlines(), "index_url": index_url}


class MyReviewsPanel(Component):
    """Reviewers: how many assigned cases still await their score, per campaign, with the deadline."""

    name = "my_reviews"
    order = 40
    template_name = "cases/admin/dashboard/my_reviews.html"

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        from django.utils import timezone

        from ..models import ReviewAssignment, ReviewStatus

        user = parent_context["request"].user
        pending = (
            ReviewAssignment.objects.filter(
                reviewer=user, status__in=[ReviewStatus.PENDING, ReviewStatus.DRAFT],
                case__status=CaseStatus.IN_REVIEW, case__in=permissions.visible_cases(user),
            )
            .order_by()
            .values_list("case__campaign_id")
            .annotate(n=Count("pk"))
        )
        counts = dict(pending)
        now = timezone.now()
        campaigns = [
            {
                "campaign": c, "count": counts[c.pk],
                "deadline": timezone.localtime(c.review_deadline, c.tzinfo) if c.review_deadline else None,
                "overdue": bool(c.review_deadline and c.review_deadline < now),
            }
            for c in Campaign.objects.filter(pk__in=counts).order_by("review_deadline", "title")
        ]
        return {"campaigns": campaigns, "total": sum(counts.values()), "index_url": reverse("reviews:index")}


def panels_for(user) -> list[Component]:
    role = permissions.role_of(user)
    if role in {Role.SECRETARIAT, Role.ADMIN}:
        return [CampaignOverviewPanel()]
    if role == Role.REVIEWER:
        return [MyReviewsPanel(), MyCasesPanel()]
    if role in {Role.SUBMITTER, Role.RECOMMENDER}:
        return [MyCasesPanel()]
    return []
