"""Reads of the expert-review pages (评审专家库, 评审分配, 我的评审): which rows they list, with
the related rows each page shows, so that a page runs a fixed number of queries. Nothing here
decides who may act: the services (`pool`, `assignment`, `scoring`) and `cases.permissions` do."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from accounts.roles import Role

from .. import permissions
from ..models import Campaign, Case, CaseImage, ReviewAssignment, ReviewerPoolMember, ReviewStatus
from ..states import CaseStatus
from .assignment import ASSIGNABLE_STATES


def pool_members(campaign: Campaign) -> QuerySet[ReviewerPoolMember]:
    """The campaign's pool, each member with the reviewer and the region the label names."""
    return ReviewerPoolMember.objects.filter(campaign=campaign).select_related("reviewer__region__province")


def pool_reviewers(campaign: Campaign) -> list:
    """The reviewer accounts of the campaign's pool (the choices of a manual assignment)."""
    return [m.reviewer for m in pool_members(campaign)]


def pool_size(campaign: Campaign) -> int:
    return ReviewerPoolMember.objects.filter(campaign=campaign).count()


def reviewers() -> QuerySet:
    """Reviewer accounts (a manual assignment names one by id)."""
    return get_user_model().objects.filter(role=Role.REVIEWER)


def campaign_cases(campaign: Campaign) -> QuerySet[Case]:
    return Case.objects.filter(campaign=campaign).select_related("campaign")


def assignable_cases(campaign: Campaign, *, category: str = "") -> QuerySet[Case]:
    """Cases that can get reviewers (形式审查通过, 专家评审中), by state and category order;
    `category` (a category code) narrows them to one direction."""
    qs = (
        Case.objects.filter(campaign=campaign, status__in=ASSIGNABLE_STATES)
        .select_related("region__province", "category")
        .order_by("status", "category__sort_order", "pk")
    )
    if category:
        qs = qs.filter(category__code=category)
    return qs


def assignments_by_case(cases: list[Case]) -> dict[int, list[ReviewAssignment]]:
    """The assignments of one page of cases, per case id, oldest first."""
    out: dict[int, list[ReviewAssignment]] = {}
    for a in ReviewAssignment.objects.filter(case__in=cases).select_related("reviewer__region__province").order_by("pk"):
        out.setdefault(a.case_id, []).append(a)
    return out


def campaign_assignments(campaign: Campaign) -> QuerySet[ReviewAssignment]:
    return ReviewAssignment.objects.select_related("case", "reviewer").filter(case__campaign=campaign)


def review_stage_counts(campaign: Campaign) -> dict[str, int]:
    """Cases waiting to start review and cases in review (the assignment page's summary)."""
    return {
        "eligible": Case.objects.filter(campaign=campaign, status=CaseStatus.ELIGIBLE).count(),
        "in_review": Case.objects.filter(campaign=campaign, status=CaseStatus.IN_REVIEW).count(),
    }


def my_assignments(user) -> QuerySet[ReviewAssignment]:
    """A reviewer's own assignments of cases they may see; a declared conflict ends the assignment."""
    return (
        ReviewAssignment.objects.filter(reviewer=user, case__in=permissions.visible_cases(user))
        .exclude(status=ReviewStatus.CONFLICT)
        .select_related("case__campaign", "case__category", "case__region__province")
    )


def visible_images(user, case: Case) -> list[CaseImage]:
    """The case's images this user may see (the scoring page shows them beside the rubric)."""
    return [img for img in case.images.select_related("case", "image") if permissions.can_view_image(user, img)]
