"""What the lifecycle's bulk path takes and gives: plans of new cases, their steps and reviews,
the result, and the refusal (`cases/workflow_bulk.py` runs them; docs/load-data.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from .errors import GuardFailed
from .models import Case


class BulkPlanError(GuardFailed):
    """A plan the one-by-one path would refuse; nothing has been written.

    `index` is the plan's position, `reason` the refusal as the one-by-one path words it and
    `refusal_status` the status that path gives it (409 state, 403 role, 400 reason or guard).
    """

    def __init__(self, message: str, *, index: int | None = None, reason: str = "", refusal_status: int = 400):
        super().__init__(message)
        self.index, self.reason, self.refusal_status = index, reason or message, refusal_status


@dataclass
class Step:
    name: str  # "create" (first) or a name of transitions.SPECS
    by: object | None
    at: datetime
    reason: str = ""
    inputs: dict = field(default_factory=dict)


@dataclass
class Review:
    reviewer: object  # a reviewer with `region` loaded, in the campaign's pool
    assigned_at: datetime
    scores: dict = field(default_factory=dict)
    comment: str = ""
    final_at: datetime | None = None  # a final score, submitted then


@dataclass
class Plan:
    case: Case  # unsaved, in draft, with campaign (object), region (object), created_by and content
    steps: list[Step]
    indicators: list[dict] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)


@dataclass
class BulkResult:
    cases: int = 0
    transitions: int = 0
    indicators: int = 0
    reviews: int = 0
    published_ids: list[int] = field(default_factory=list)
    by_state: Counter = field(default_factory=Counter)
