"""Ranked nomination within quotas (docs/domain.md §4): what counts, ranks, and the lock.

A province's nominations in one category are the cases in `recommended` or any later state
except `returned`, `withdrawn` and `rejected`; returning or withdrawing frees the place.
Ranks are unique and contiguous (1..n) within (campaign, province, category).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.roles import Role

from . import permissions
from .errors import Forbidden, GuardFailed
from .models import CampaignCategory, Case, NominationLock
from .states import CaseStatus

COUNTED_STATES = frozenset(
    {
        CaseStatus.RECOMMENDED, CaseStatus.ELIGIBLE, CaseStatus.IN_REVIEW, CaseStatus.REVIEWED,
        CaseStatus.SHORTLISTED, CaseStatus.NOT_SELECTED, CaseStatus.IN_NOTICE, CaseStatus.PUBLISHED,
        CaseStatus.DISQUALIFIED,
    }
)


def nominated(case: Case) -> QuerySet[Case]:
    """The cases holding a place in `case`'s (campaign, province, category), best rank first."""
    return Case.objects.filter(
        campaign_id=case.campaign_id, province_id=case.province_id, category_id=case.category_id,
        status__in=COUNTED_STATES,
    ).order_by("nomination_rank", "submitted_at", "pk")


def lock_quota(case: Case) -> None:
    """Lock the counter row (created on first use) for the rest of the transaction."""
    lock_quota_for(case.campaign_id, case.province_id, case.category_id)


def place(case: Case, rank: int) -> None:
    """Insert `case` at `rank`, shifting the others so ranks stay 1..n."""
    others = [c for c in nominated(case) if c.pk != case.pk]
    others.insert(rank - 1, case)
    _renumber(others)


def compact(case: Case) -> None:
    """After `case` left the nominated set, close the gap it left."""
    Case.objects.filter(pk=case.pk).update(nomination_rank=None)
    case.nomination_rank = None
    _renumber(list(nominated(case)))


def _renumber(ordered: list[Case]) -> None:
    for i, c in enumerate(ordered, start=1):
        if c.nomination_rank != i:
            Case.objects.filter(pk=c.pk).update(nomination_rank=i)
            c.nomination_rank = i


def reorder(*, by, campaign_id: int, category_id: int | None, order: list[int]) -> list[Case]:
    """A recommender's new ranking of its province's nominations in one category (all of them, once)."""
    if permissions.role_of(by) != Role.RECOMMENDER or by.region is None:
        raise Forbidden(_("只有推荐单位可以调整推荐排序。"))
    with transaction.atomic():
        sample = Case(campaign_id=campaign_id, province_id=by.region.code, category_id=category_id)
        lock_quota_for(campaign_id, by.region.code, category_id)
        current = list(nominated(sample))
        if sorted(order) != sorted(c.pk for c in current) or len(set(order)) != len(order):
            raise GuardFailed(_("排序须包含本省该方向已推荐的全部案例，且每个案例只出现一次。"))
        by_pk = {c.pk: c for c in current}
        ordered = [by_pk[pk] for pk in order]
        _renumber(ordered)
    return ordered


def lock_quota_for(campaign_id: int, province_code: str, category_id: int | None) -> None:
    code = CampaignCategory.objects.filter(pk=category_id).values_list("code", flat=True).first() or ""
    key = {"campaign_id": campaign_id, "province_id": province_code, "category_code": code}
    try:
        with transaction.atomic():
            NominationLock.objects.get_or_create(**key)
    except IntegrityError:
        pass  # another transaction created it first
    NominationLock.objects.select_for_update().get(**key)
