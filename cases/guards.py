"""The guards of docs/domain.md §4: each raises GuardFailed with a message a person can act on.

A guard runs inside the transition's transaction, after the row lock, and returns the names
of any extra case fields it set (saved together with the state).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import nomination
from .errors import GuardFailed
from .models import Case, ObjectionOutcome, Tier
from .states import CampaignStatus, CaseStatus
from .validation import submission_problems


def deadline_for(case: Case) -> datetime:
    return case.deadline_extension or case.campaign.submission_closes


def submit(case: Case, by, inputs: dict) -> None:
    campaign = case.campaign
    now = timezone.now()
    deadline = deadline_for(case)
    local = timezone.localtime(deadline, campaign.tzinfo)
    if campaign.status != CampaignStatus.OPEN and case.deadline_extension is None:
        raise GuardFailed(_("“%(campaign)s”当前不在申报期内。") % {"campaign": campaign.title})
    if now < campaign.submission_opens:
        opens = timezone.localtime(campaign.submission_opens, campaign.tzinfo)
        raise GuardFailed(_("申报将于 %(at)s 开始。") % {"at": date_format(opens, "Y年n月j日 H:i")})
    if now > deadline:
        raise GuardFailed(_("申报已于 %(at)s 截止。") % {"at": date_format(local, "Y年n月j日 H:i")})
    problems = submission_problems(case)
    if problems:
        raise GuardFailed(_("案例内容尚不完整：") + "".join(problems))


def recommend(case: Case, by, inputs: dict) -> list[str]:
    nomination.lock_quota(case)
    taken = nomination.check_quota(case)
    inputs["rank"] = nomination.parse_rank(inputs.get("rank"), upper=taken + 1)
    return []


def reopen(case: Case, by, inputs: dict) -> list[str]:
    if case.campaign.nomination_required:
        nomination.lock_quota(case)
        nomination.check_quota(case)
    return []


def shortlist(case: Case, by, inputs: dict) -> list[str]:
    code = inputs.get("tier")
    if not code:
        raise GuardFailed(_("请选择入选等级。"))
    tier = Tier.objects.select_for_update().filter(campaign_id=case.campaign_id, code=str(code)).first()
    if tier is None:
        raise GuardFailed(_("该活动没有“%(tier)s”这一入选等级。") % {"tier": code})
    taken = Case.objects.filter(
        tier=tier, status__in=[CaseStatus.SHORTLISTED, CaseStatus.IN_NOTICE, CaseStatus.PUBLISHED]
    ).count()
    if taken >= tier.quota:
        raise GuardFailed(_("“%(tier)s”名额（%(quota)d）已满。") % {"tier": tier.title, "quota": tier.quota})
    case.tier = tier
    inputs["tier"] = tier.code
    return ["tier"]


def start_review(case: Case, by, inputs: dict) -> None:
    from .review.assignment import active_assignment_count

    have, need = active_assignment_count(case), case.campaign.reviewers_per_case
    if have < need:
        raise GuardFailed(_("需要分配 %(need)d 位评审专家，目前只有 %(have)d 位。") % {"need": need, "have": have})


def complete_review(case: Case, by, inputs: dict) -> None:
    from .models import ReviewStatus

    statuses = list(case.review_assignments.exclude(status=ReviewStatus.CONFLICT).values_list("status", flat=True))
    pending = sum(1 for s in statuses if s != ReviewStatus.FINAL)
    if not statuses or pending:
        raise GuardFailed(_("还有 %(n)d 份评分未提交，不能完成评审。") % {"n": pending or case.campaign.reviewers_per_case})


def import_published(case: Case, by, inputs: dict) -> None:
    if case.campaign.status != CampaignStatus.FINISHED:
        raise GuardFailed(_("只能向已结束的征集活动导入入选案例。"))
    if not inputs.get("source"):
        raise GuardFailed(_("请注明导入来源。"))


def open_notice(case: Case, by, inputs: dict) -> list[str]:
    starts, ends = inputs.get("notice_starts"), inputs.get("notice_ends")
    if not starts or not ends or ends <= starts:
        raise GuardFailed(_("请先设定公示的开始和结束时间。"))
    case.notice_starts, case.notice_ends = starts, ends
    return ["notice_starts", "notice_ends"]


def publish(case: Case, by, inputs: dict) -> list[str]:
    if case.notice_ends and timezone.now() <= case.notice_ends:
        local = timezone.localtime(case.notice_ends, case.campaign.tzinfo)
        raise GuardFailed(_("公示期至 %(at)s 结束，结束后才能发布。") % {"at": date_format(local, "Y年n月j日 H:i")})
    open_count = case.objections.filter(outcome=ObjectionOutcome.OPEN).count()
    if open_count:
        raise GuardFailed(_("该案例有 %(n)d 条异议尚未处理，处理完毕后才能发布。") % {"n": open_count})
    return []


def disqualify(case: Case, by, inputs: dict) -> list[str]:
    if not case.objections.filter(outcome=ObjectionOutcome.UPHELD).exists():
        raise GuardFailed(_("只有在异议成立后才能取消入选。"))
    return []
