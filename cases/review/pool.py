"""The campaign's reviewer pool (评审专家库): who may be assigned, their expertise and load cap.

Only the secretariat manages it. Removing a member keeps their existing assignments (remove
those separately); it only takes them out of future automatic assignment.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.roles import Role

from .. import permissions
from ..errors import Forbidden, GuardFailed, NotFound
from ..models import Campaign, Case, ReviewAssignment, ReviewerPoolMember, ReviewStatus
from ..states import CaseStatus
from ..taxonomies import Scenario, TaskArea
from .assignment import conflict_reason


def _require_staff(by) -> None:
    if not permissions.is_staff_role(by):
        raise Forbidden(_("只有组织方可以管理评审专家库。"))


def _clean(expertise_scenarios, expertise_tasks, load_cap) -> tuple[list[str], list[str], int]:
    scenarios = [s for s in dict.fromkeys(expertise_scenarios or []) if s]
    tasks = [t for t in dict.fromkeys(expertise_tasks or []) if t]
    bad = [s for s in scenarios if s not in Scenario.values] + [t for t in tasks if t not in TaskArea.values]
    if bad:
        raise GuardFailed(_("未知的擅长领域：%(codes)s。") % {"codes": "、".join(map(str, bad))})
    try:
        cap = int(load_cap)
    except (TypeError, ValueError):
        raise GuardFailed(_("评审上限必须是正整数。")) from None
    if not 1 <= cap <= 1000:
        raise GuardFailed(_("评审上限须在 1 到 1000 件之间。"))
    return scenarios, tasks, cap


def available_reviewers(campaign: Campaign) -> QuerySet:
    """Active reviewer accounts not yet in the campaign's pool."""
    User = get_user_model()
    return (
        User.objects.filter(role=Role.REVIEWER, is_active=True)
        .exclude(reviewer_pools__campaign=campaign)
        .select_related("region", "region__province")
        .order_by("region_id", "username")
    )


def add_member(
    *, campaign: Campaign, reviewer, by, expertise_scenarios=(), expertise_tasks=(), load_cap=30
) -> ReviewerPoolMember:
    _require_staff(by)
    if reviewer.role != Role.REVIEWER or not reviewer.is_active:
        raise GuardFailed(_("只能把在用的评审专家账号加入专家库。"))
    scenarios, tasks, cap = _clean(expertise_scenarios, expertise_tasks, load_cap)
    try:
        with transaction.atomic():
            return ReviewerPoolMember.objects.create(
                campaign=campaign, reviewer=reviewer, expertise_scenarios=scenarios, expertise_tasks=tasks,
                load_cap=cap,
            )
    except IntegrityError:
        raise GuardFailed(_("该专家已在本活动的专家库中。")) from None


def add_members(
    *, campaign: Campaign, reviewers, by, expertise_scenarios=(), expertise_tasks=(), load_cap=30
) -> list[ReviewerPoolMember]:
    """Several reviewers at once with the same expertise and cap: all of them join, or none does."""
    _require_staff(by)
    reviewers = list(reviewers)
    if not reviewers:
        raise GuardFailed(_("请选择评审专家。"))
    with transaction.atomic():
        return [
            add_member(campaign=campaign, reviewer=r, by=by, expertise_scenarios=expertise_scenarios,
                       expertise_tasks=expertise_tasks, load_cap=load_cap)
            for r in reviewers
        ]


# Cases that have or will need reviewers: the ones a pool member could be assigned to.
NEEDING_REVIEW = (CaseStatus.RECOMMENDED, CaseStatus.ELIGIBLE, CaseStatus.IN_REVIEW)


def sort_candidates(campaign: Campaign) -> tuple[list, list[tuple[object, str]]]:
    """Available reviewers split in two: those who could review at least one of the campaign's cases
    that need reviewers (all of them while there are none yet), and those who would have to withdraw
    (回避, `assignment.conflict_reason`) from every one of those cases, with the reasons."""
    candidates = list(available_reviewers(campaign))
    # Conflicts depend only on the case's province and organisation: one stand-in case per pair.
    pairs = (
        Case.objects.filter(campaign=campaign, status__in=NEEDING_REVIEW)
        .order_by().values_list("province_id", "organisation").distinct()
    )
    stand_ins = [Case(campaign=campaign, province_id=province, organisation=org) for province, org in pairs]
    if not stand_ins:
        return candidates, []
    usable, excluded = [], []
    for reviewer in candidates:
        reasons = [conflict_reason(campaign, reviewer, case) for case in stand_ins]
        if all(reasons):
            why = "、".join(dict.fromkeys(reasons))
            excluded.append((reviewer, _("与本活动所有待评审案例都需回避（%(why)s）") % {"why": why}))
        else:
            usable.append(reviewer)
    return usable, excluded


def update_member(*, member_id: int, by, expertise_scenarios=(), expertise_tasks=(), load_cap=30) -> ReviewerPoolMember:
    _require_staff(by)
    scenarios, tasks, cap = _clean(expertise_scenarios, expertise_tasks, load_cap)
    member = ReviewerPoolMember.objects.filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("未找到该专家库成员。"))
    member.expertise_scenarios, member.expertise_tasks, member.load_cap = scenarios, tasks, cap
    member.save(update_fields=["expertise_scenarios", "expertise_tasks", "load_cap"])
    return member


def remove_member(*, member_id: int, by) -> None:
    _require_staff(by)
    deleted, _rows = ReviewerPoolMember.objects.filter(pk=member_id).delete()
    if not deleted:
        raise NotFound(_("未找到该专家库成员。"))


@dataclass
class PoolRow:
    member: ReviewerPoolMember
    load: int  # assignments in the campaign, conflicts excluded
    final: int  # of which scores are submitted


def members_with_load(campaign: Campaign) -> list[PoolRow]:
    members = list(
        ReviewerPoolMember.objects.filter(campaign=campaign)
        .select_related("reviewer", "reviewer__region", "reviewer__region__province")
        .order_by("reviewer__region_id", "reviewer__username")
    )
    active = ReviewAssignment.objects.filter(case__campaign=campaign).exclude(status=ReviewStatus.CONFLICT)
    load = Counter(active.values_list("reviewer_id", flat=True))
    final = Counter(active.filter(status=ReviewStatus.FINAL).values_list("reviewer_id", flat=True))
    return [PoolRow(m, load[m.reviewer_id], final[m.reviewer_id]) for m in members]
