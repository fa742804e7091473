"""The facts a guard decides on, read from the database for one case (the one-by-one path).

`workflow.transition` builds a `CaseFacts` after it has locked the case's row, inside the same
transaction, and passes it to the guard. Each fact is read the first time the guard asks for it
(so a transition reads only what its rule needs, and a rule that refuses early reads nothing
more), and a count that a quota depends on is taken after locking its counter: the province's
`NominationLock` row for nominations, the tier's row for tiers. The bulk path answers the same
questions from its batch (`cases/workflow_bulk.py`). See `cases/guards.py`, docs/lifecycle.md.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property

from django.utils import timezone

from . import nomination
from .models import Case, ObjectionOutcome, ReviewStatus, Tier
from .review.assignment import active_assignment_count
from .states import TIER_HOLDING_STATES, CampaignStatus
from .validation import submission_problems


class CaseFacts:
    """`guards.Facts` for one locked case, read lazily from the database."""

    def __init__(self, case: Case, now: datetime | None = None):
        self.case = case
        self.now = now or timezone.now()
        self.campaign_open = case.campaign.status == CampaignStatus.OPEN

    @cached_property
    def content_problems(self) -> list[str]:
        return submission_problems(self.case)

    @cached_property
    def quota_taken(self) -> int:
        nomination.lock_quota(self.case)
        return nomination.nominated(self.case).exclude(pk=self.case.pk).count()

    @cached_property
    def quota(self) -> int:
        case = self.case
        return case.campaign.quota_for(case.province_id, case.category.code if case.category_id else "")

    def tier(self, code: str) -> Tier | None:
        return Tier.objects.select_for_update().filter(campaign_id=self.case.campaign_id, code=code).first()

    def tier_taken(self, tier: Tier) -> int:
        return Case.objects.filter(tier=tier, status__in=TIER_HOLDING_STATES).count()

    @cached_property
    def reviewers_assigned(self) -> int:
        return active_assignment_count(self.case)

    @cached_property
    def reviews_pending(self) -> int | None:
        statuses = list(
            self.case.review_assignments.exclude(status=ReviewStatus.CONFLICT).values_list("status", flat=True)
        )
        return sum(1 for s in statuses if s != ReviewStatus.FINAL) if statuses else None

    @cached_property
    def open_objections(self) -> int:
        return self.case.objections.filter(outcome=ObjectionOutcome.OPEN).count()

    @cached_property
    def upheld_objections(self) -> int:
        return int(self.case.objections.filter(outcome=ObjectionOutcome.UPHELD).exists())
