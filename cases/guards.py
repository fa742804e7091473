"""The guards of docs/domain.md §4, each a rule over the facts it needs.

A guard never reads the database itself: it asks a `Facts` object (quota taken, tier taken,
reviewers assigned, reviews pending, objections, the time, the form's completeness), so every
path decides with the same rule and the same message. The one-by-one path answers the facts
from the database under the case's row lock (`cases/facts.py`, each fact read only when a guard
asks, locking the counter it counts); the bulk path answers them from its batch's own tallies,
read once (`cases/workflow_bulk.py`). A guard raises GuardFailed with a message a person can act
on, and returns the names of the case fields it set (saved together with the state).
See docs/lifecycle.md.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .errors import GuardFailed
from .models import Case, Tier
from .states import CampaignStatus


class Facts(Protocol):
    """What the guards decide on. Each path answers it in its own way (see the module docstring)."""

    now: datetime  # the moment of the transition
    campaign_open: bool  # the campaign takes submissions now (its own state)

    @property
    def content_problems(self) -> list[str]: ...  # what the form still lacks (`validation.submission_problems`)
    @property
    def quota(self) -> int: ...  # places of the case's (campaign, province, category)
    @property
    def quota_taken(self) -> int: ...  # places held by the other cases there (counter locked)
    def tier(self, code: str) -> Tier | None: ...  # the campaign's tier of this code (locked)
    def tier_taken(self, tier: Tier) -> int: ...  # cases holding a place of that tier
    @property
    def reviewers_assigned(self) -> int: ...  # active (non-conflict) assignments
    @property
    def reviews_pending(self) -> int | None: ...  # active assignments not final; None: none at all
    @property
    def open_objections(self) -> int: ...
    @property
    def upheld_objections(self) -> int: ...


Guard = Callable[[Case, Facts, dict], "list[str] | None"]


def deadline_for(case: Case) -> datetime:
    return case.deadline_extension or case.campaign.submission_closes


def _local(case: Case, moment: datetime) -> str:
    return date_format(timezone.localtime(moment, case.campaign.tzinfo), "Y年n月j日 H:i")


def submit(case: Case, facts: Facts, inputs: dict) -> None:
    campaign = case.campaign
    if not facts.campaign_open and case.deadline_extension is None:
        raise GuardFailed(_("“%(campaign)s”当前不在申报期内。") % {"campaign": campaign.title})
    if facts.now < campaign.submission_opens:
        raise GuardFailed(_("申报将于 %(at)s 开始。") % {"at": _local(case, campaign.submission_opens)})
    if facts.now > deadline_for(case):
        raise GuardFailed(_("申报已于 %(at)s 截止。") % {"at": _local(case, deadline_for(case))})
    problems = facts.content_problems
    if problems:
        raise GuardFailed(_("案例内容尚不完整：") + "".join(problems))


def _within_quota(case: Case, facts: Facts) -> int:
    taken, quota = facts.quota_taken, facts.quota
    if taken >= quota:
        category = case.category.title if case.category_id else _("该方向")
        raise GuardFailed(
            _("%(province)s在“%(category)s”方向的推荐名额（%(quota)d）已用完。")
            % {"province": case.province.name, "category": category, "quota": quota}
        )
    return taken


def parse_rank(raw, *, upper: int) -> int:
    if raw in (None, ""):
        return upper
    try:
        rank = int(raw)
    except (TypeError, ValueError):
        raise GuardFailed(_("推荐排序必须是正整数。")) from None
    if not 1 <= rank <= upper:
        raise GuardFailed(_("推荐排序必须在 1 到 %(n)d 之间。") % {"n": upper})
    return rank


def recommend(case: Case, facts: Facts, inputs: dict) -> None:
    taken = _within_quota(case, facts)
    inputs["rank"] = parse_rank(inputs.get("rank"), upper=taken + 1)


def reopen(case: Case, facts: Facts, inputs: dict) -> None:
    if case.campaign.nomination_required:
        _within_quota(case, facts)


def shortlist(case: Case, facts: Facts, inputs: dict) -> list[str]:
    code = inputs.get("tier")
    if not code:
        raise GuardFailed(_("请选择入选等级。"))
    tier = facts.tier(str(code))
    if tier is None:
        raise GuardFailed(_("该活动没有“%(tier)s”这一入选等级。") % {"tier": code})
    if facts.tier_taken(tier) >= tier.quota:
        raise GuardFailed(_("“%(tier)s”名额（%(quota)d）已满。") % {"tier": tier.title, "quota": tier.quota})
    case.tier = tier
    inputs["tier"] = tier.code
    return ["tier"]


def start_review(case: Case, facts: Facts, inputs: dict) -> None:
    have, need = facts.reviewers_assigned, case.campaign.reviewers_per_case
    if have < need:
        raise GuardFailed(_("需要分配 %(need)d 位评审专家，目前只有 %(have)d 位。") % {"need": need, "have": have})


def complete_review(case: Case, facts: Facts, inputs: dict) -> None:
    pending = facts.reviews_pending
    if pending is None or pending:
        raise GuardFailed(_("还有 %(n)d 份评分未提交，不能完成评审。") % {"n": pending or case.campaign.reviewers_per_case})


def import_published(case: Case, facts: Facts, inputs: dict) -> None:
    if case.campaign.status != CampaignStatus.FINISHED:
        raise GuardFailed(_("只能向已结束的征集活动导入入选案例。"))
    if not inputs.get("source"):
        raise GuardFailed(_("请注明导入来源。"))


def open_notice(case: Case, facts: Facts, inputs: dict) -> list[str]:
    starts, ends = inputs.get("notice_starts"), inputs.get("notice_ends")
    if not starts or not ends or ends <= starts:
        raise GuardFailed(_("请先设定公示的开始和结束时间。"))
    case.notice_starts, case.notice_ends = starts, ends
    return ["notice_starts", "notice_ends"]


def publish(case: Case, facts: Facts, inputs: dict) -> None:
    if case.notice_ends and facts.now <= case.notice_ends:
        raise GuardFailed(_("公示期至 %(at)s 结束，结束后才能发布。") % {"at": _local(case, case.notice_ends)})
    open_count = facts.open_objections
    if open_count:
        raise GuardFailed(_("该案例有 %(n)d 条异议尚未处理，处理完毕后才能发布。") % {"n": open_count})


def disqualify(case: Case, facts: Facts, inputs: dict) -> None:
    if not facts.upheld_objections:
        raise GuardFailed(_("只有在异议成立后才能取消入选。"))
