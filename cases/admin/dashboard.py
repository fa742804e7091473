"""The dashboard: per role, a to-do list first (what waits on this person, with counts,
deadlines in Beijing time and one link to the filtered list: cases/worklists.py answers), then
an overview of the role's cases."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from accounts.roles import Role

from .. import permissions, selectors, worklists
from ..states import CaseStatus

NEWEST = 5


def case_list_url(**filters) -> str:
    """The admin case list filtered by `filters` (campaign, status, province)."""
    query = {k: v for k, v in filters.items() if v not in (None, "")}
    return reverse("cases:index") + ("?" + urlencode(query) if query else "")


def _state_rows(counts: Mapping[str, int], **filters) -> list[dict[str, Any]]:
    return [
        {"status": code, "label": label, "count": counts[code], "url": case_list_url(status=code, **filters)}
        for code, label in CaseStatus.choices
        if counts.get(code)
    ]


class SubmitterTodoPanel(Component):
    """申报单位: drafts to finish, cases returned for revision (with the reason), deadlines."""

    name = "todo"
    order = 10
    template_name = "cases/admin/dashboard/todo_submitter.html"

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        user = parent_context["request"].user
        todo = worklists.submitter_todo(user)
        return {
            "todo": todo,
            "drafts_url": case_list_url(status=CaseStatus.DRAFT),
            "returned": [{"case": c, "url": reverse("cases:edit", args=[c.pk])} for c in todo.returned],
            "can_create": permissions.can_create_case(user),
            "add_url": reverse("cases:add"),
        }


class RecommenderTodoPanel(Component):
    """推荐单位: 待推荐 per campaign and category with the quota used and left; returned cases."""

    name = "todo"
    order = 10
    template_name = "cases/admin/dashboard/todo_recommender.html"

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        todo = worklists.recommender_todo(parent_context["request"].user)
        campaigns = [
            {
                "todo": c,
                "categories": [
                    {"row": row, "url": reverse("nomination:rank", args=[c.campaign.pk, row.category_id])}
                    for row in c.categories
                ],
                "awaiting_url": case_list_url(campaign=c.campaign.pk, status=CaseStatus.SUBMITTED),
            }
            for c in todo.campaigns
        ]
        return {"todo": todo, "campaigns": campaigns,
                "returned_url": case_list_url(status=CaseStatus.RETURNED), "index_url": reverse("nomination:index")}


class ReviewerTodoPanel(Component):
    """评审专家: scores not yet final per campaign, with the review deadline (never the submission's)."""

    name = "todo"
    order = 10
    template_name = "cases/admin/dashboard/todo_reviewer.html"

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        todos = worklists.reviewer_todo(parent_context["request"].user)
        return {"todos": todos, "total": sum(t.open for t in todos), "index_url": reverse("reviews:index")}


class SecretariatTodoPanel(Component):
    """组织方: per campaign, what waits on the secretariat, each count a link to its work page."""

    name = "todo"
    order = 10
    template_name = "cases/admin/dashboard/todo_secretariat.html"

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        campaigns = [todo_items(t) for t in worklists.secretariat_todo()]
        return {"campaigns": [c for c in campaigns if c["items"]], "desk_url": reverse("desk:index")}


def todo_items(todo: worklists.CampaignTodo) -> dict[str, Any]:
    """A campaign's to-do as (label, count, link) rows, only the ones with something waiting."""
    pk = todo.campaign.pk
    rows = [
        (_("待形式审查"), todo.awaiting_check, reverse("desk:check", args=[pk]), ""),
        (_("评审专家不足的案例"), todo.short_of_reviewers, reverse("desk:assignments", args=[pk]), ""),
        (_("逾期未提交的评分"), todo.overdue_reviews, reverse("desk:assignments", args=[pk]), ""),
        (_("待处理的异议"), todo.open_objections, reverse("desk:notice", args=[pk]), ""),
        (_("即将结束公示"), todo.notices_ending, reverse("desk:notice", args=[pk]), todo.notice_ends),
        (_("公示期满、可以发布"), todo.ready_to_publish, reverse("desk:notice", args=[pk]), ""),
    ]
    return {
        "todo": todo,
        "desk_url": reverse("desk:dashboard", args=[pk]),
        "items": [{"label": label, "count": n, "url": url, "until": until} for label, n, url, until in rows if n],
    }


class MyCasesPanel(Component):
    """Submitters and recommenders: their working cases by state, and the newest."""

    name = "my_cases"
    order = 50
    template_name = "cases/admin/dashboard/my_cases.html"

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        request = parent_context["request"]
        user = request.user
        cases = permissions.working_cases(user)
        counts = dict(cases.order_by().values_list("status").annotate(n=Count("pk")))
        newest = cases.select_related("campaign", "region", "region__province").order_by("-updated_at")[:NEWEST]
        is_recommender = permissions.role_of(user) == Role.RECOMMENDER
        return {
            "states": _state_rows(counts),
            "total": sum(counts.values()),
            "newest": [
                {
                    "case": c,
                    "url": reverse("cases:edit" if permissions.can_edit_case(user, c) else "cases:inspect", args=[c.pk]),
                }
                for c in newest
            ],
            "index_url": reverse("cases:index"),
            "is_recommender": is_recommender,
            "heading": _("本省案例") if is_recommender else _("我的案例"),
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
        campaigns = []
        for campaign in selectors.campaigns_newest_first():
            counts = by_campaign.get(campaign.pk, {})
            campaigns.append(
                {
                    "campaign": campaign,
                    "total": sum(counts.values()),
                    "states": _state_rows(counts, campaign=campaign.pk),
                    "edit_url": reverse("campaigns:edit", args=[campaign.pk]),
                    "desk_url": reverse("desk:dashboard", args=[campaign.pk]),
                }
            )
        return {"campaigns": campaigns, "deadlines": worklists.submission_deadlines(),
                "index_url": reverse("cases:index")}


def panels_for(user) -> list[Component]:
    role = permissions.role_of(user)
    if role in {Role.SECRETARIAT, Role.ADMIN}:
        return [SecretariatTodoPanel(), CampaignOverviewPanel()]
    if role == Role.REVIEWER:
        return [ReviewerTodoPanel()]
    if role == Role.SUBMITTER:
        return [SubmitterTodoPanel(), MyCasesPanel()]
    if role == Role.RECOMMENDER:
        return [RecommenderTodoPanel(), MyCasesPanel()]
    return []
