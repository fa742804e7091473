"""Reviewer assignment: k per case, load-balanced, never a conflict (回避), expertise preferred."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role

from .. import permissions
from ..errors import Forbidden, GuardFailed, InvalidState, NotFound
from ..models import Campaign, Case, ReviewAssignment, ReviewerPoolMember, ReviewStatus
from ..states import CaseStatus

ASSIGNABLE_STATES = (CaseStatus.ELIGIBLE, CaseStatus.IN_REVIEW)


def _norm(org: str) -> str:
    return "".join((org or "").split()).lower()


def conflict_reason(campaign: Campaign, reviewer, case: Case) -> str | None:
    """Why `reviewer` must not review `case`, or None when there is no conflict."""
    region = reviewer.region
    if campaign.conflict_same_province and region is not None and region.province_code == case.province_id:
        return _("与案例同省")
    if campaign.conflict_same_organisation and _norm(reviewer.organisation) and _norm(reviewer.organisation) == _norm(case.organisation):
        return _("与申报单位为同一单位")
    return None


@dataclass
class AssignmentReport:
    created: list[ReviewAssignment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _active(qs):
    return qs.exclude(status=ReviewStatus.CONFLICT)


def _require_staff(by) -> None:
    if permissions.role_of(by) not in {Role.SECRETARIAT, Role.ADMIN}:
        raise Forbidden(_("只有组织方可以分配评审专家。"))


def auto_assign(*, campaign: Campaign, by, cases: list[Case] | None = None) -> AssignmentReport:
    """Fill every case up to the campaign's k reviewers; explain each case that can't be filled."""
    _require_staff(by)
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()  # one assignment run at a time
        return _assign(campaign, cases)


def _assign(campaign: Campaign, cases: list[Case] | None) -> AssignmentReport:
    report = AssignmentReport()
    k = campaign.reviewers_per_case
    pool = list(
        ReviewerPoolMember.objects.filter(campaign=campaign, reviewer__is_active=True, reviewer__role=Role.REVIEWER)
        .select_related("reviewer__region")
        .order_by("reviewer_id")
    )
    if cases is None:
        cases = list(Case.objects.filter(campaign=campaign, status__in=ASSIGNABLE_STATES).order_by("pk"))
    load = Counter(
        _active(ReviewAssignment.objects.filter(case__campaign=campaign)).values_list("reviewer_id", flat=True)
    )
    taken: dict[int, set[int]] = {}
    for case_id, reviewer_id in ReviewAssignment.objects.filter(case__in=cases).values_list("case_id", "reviewer_id"):
        taken.setdefault(case_id, set()).add(reviewer_id)
    active_counts = Counter(_active(ReviewAssignment.objects.filter(case__in=cases)).values_list("case_id", flat=True))

    def candidates(case: Case) -> list[ReviewerPoolMember]:
        return [
            m for m in pool
            if m.reviewer_id not in taken.get(case.pk, set()) and conflict_reason(campaign, m.reviewer, case) is None
        ]

    # Most constrained cases first, so the scarce reviewers go where nobody else can.
    open_cases = [c for c in cases if active_counts[c.pk] < k]
    options = {c.pk: candidates(c) for c in open_cases}
    for case in sorted(open_cases, key=lambda c: (len(options[c.pk]), c.pk)):
        need = k - active_counts[case.pk]
        ranked = sorted(
            (m for m in options[case.pk] if load[m.reviewer_id] < m.load_cap),
            key=lambda m: (load[m.reviewer_id], -_expertise(m, case), m.reviewer_id),
        )
        chosen = ranked[:need]
        for member in chosen:
            report.created.append(ReviewAssignment.objects.create(case=case, reviewer=member.reviewer))
            load[member.reviewer_id] += 1
            taken.setdefault(case.pk, set()).add(member.reviewer_id)
        if len(chosen) < need:
            conflicts = len(pool) - len(options[case.pk])
            at_cap = len(options[case.pk]) - len(ranked)
            report.problems.append(
                _("“%(title)s”需要 %(k)d 位评审专家，只找到 %(n)d 位：专家库共 %(pool)d 人，其中 %(conflicts)d 人需回避或已分配，"
                  "%(cap)d 人已达评审上限。请扩充专家库或提高评审上限。")
                % {"title": case.title, "k": k, "n": active_counts[case.pk] + len(chosen), "pool": len(pool),
                   "conflicts": conflicts, "cap": at_cap}
            )
    return report


def _expertise(member: ReviewerPoolMember, case: Case) -> int:
    return len(set(member.expertise_scenarios) & set(case.scenarios)) + (case.task_area in member.expertise_tasks)


def add_assignment(*, case: Case, reviewer, by) -> ReviewAssignment:
    _require_staff(by)
    if reviewer.role != Role.REVIEWER or not reviewer.is_active:
        raise GuardFailed(_("只能分配在用的评审专家账号。"))
    check_assignable(case, reviewer)
    if ReviewAssignment.objects.filter(case=case, reviewer=reviewer).exists():
        raise already_assigned()
    return ReviewAssignment.objects.create(case=case, reviewer=reviewer)


def check_assignable(case: Case, reviewer) -> None:
    """The case takes reviewers in its state and `reviewer` need not stand aside from it
    (asked by `add_assignment` and by the lifecycle's bulk path alike)."""
    if case.status not in ASSIGNABLE_STATES:
        raise InvalidState(_("只有形式审查通过或评审中的案例可以分配评审专家。"))
    reason = conflict_reason(case.campaign, reviewer, case)
    if reason:
        raise GuardFailed(_("该专家需回避：%(reason)s。") % {"reason": reason})


def already_assigned() -> GuardFailed:
    return GuardFailed(_("该专家已分配过此案例。"))


def remove_assignment(*, assignment_id: int, by) -> None:
    _require_staff(by)
    with transaction.atomic():
        assignment = ReviewAssignment.objects.select_for_update().filter(pk=assignment_id).first()
        if assignment is None:
            raise NotFound(_("未找到该评审任务。"))
        if assignment.status == ReviewStatus.FINAL:
            raise InvalidState(_("已提交的评分不能撤销分配。"))
        assignment.delete()


def declare_conflict(*, assignment_id: int, by, reason: str) -> AssignmentReport:
    """The reviewer steps aside; the case gets a replacement at once where the pool allows."""
    reason = (reason or "").strip()
    if not reason:
        raise GuardFailed(_("请说明回避理由。"))
    with transaction.atomic():
        assignment = (
            ReviewAssignment.objects.select_for_update().select_related("case__campaign")
            .filter(pk=assignment_id, reviewer=by).first()
        )
        if assignment is None:
            raise NotFound(_("未找到该评审任务。"))
        if assignment.status in (ReviewStatus.FINAL, ReviewStatus.CONFLICT):
            raise InvalidState(_("该评审任务已提交或已回避。"))
        assignment.status = ReviewStatus.CONFLICT
        assignment.conflict_reason = reason[:300]
        assignment.save(update_fields=["status", "conflict_reason", "updated_at"])
        case = assignment.case
        return _assign(case.campaign, [case])


def active_assignment_count(case: Case) -> int:
    return _active(case.review_assignments.all()).count()
