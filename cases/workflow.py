"""The case lifecycle, one case at a time: the code path that creates cases and changes their state.

A transition runs in one transaction: lock the case row, check visibility, then the rulebook's
checks (`cases.transitions.refusal`: state, role, reason), then its step
(`cases.transitions.apply`: the guard over the facts read under the lock, `cases.facts`, the
move, the record), save, and queue the effects to run after commit (`cases.signals`). The admin,
the API, management commands and tests all call `transition()`; the bulk path
(`workflow_bulk`) and the import (`workflow_import`) take the same step. docs/lifecycle.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import nomination, permissions, transitions
from .editing import replace_indicators, validate_case_fields
from .errors import Forbidden, GuardFailed, InvalidState, NotFound, WorkflowError
from .facts import CaseFacts
from .guards import deadline_for
from .models import Campaign, Case, CaseTransition, Region
from .signals import case_transitioned
from .states import CampaignStatus, CaseStatus
from .transitions import CASE_TRANSITIONS, SPECS, STAFF, Spec

# Callers use `workflow.<Error>`, `workflow.deadline_for`, `workflow.SPECS`; they are part of this
# module's API (the rules themselves are `cases.transitions` and `cases.guards`).
__all__ = [
    "CASE_TRANSITIONS", "SPECS", "STAFF", "Forbidden", "GuardFailed", "InvalidState", "NotFound", "Spec",
    "WorkflowError", "available_transitions", "case_transitioned", "create_draft", "deadline_for",
    "grant_extension", "import_published", "transition", "transition_many",
]

logger = logging.getLogger(__name__)


def available_transitions(case: Case, user) -> list[Spec]:
    """Exactly the transitions `user` may perform on `case` now (guards aside)."""
    return transitions.available(case, user)


def _save(record: CaseTransition) -> CaseTransition:
    """Write an audit row and announce it after commit (nothing is sent for a rolled-back change)."""
    record.save()
    transaction.on_commit(lambda: case_transitioned.send(sender=Case, case=record.case, record=record))
    return record


def _settle(case: Case, from_state: str, inputs: dict, updates: list[str]) -> None:
    """The one-by-one path's bookkeeping: save the case, then keep the province's ranks 1..n."""
    case.save(update_fields=updates)
    counted_before = from_state in nomination.COUNTED_STATES
    counted_now = case.status in nomination.COUNTED_STATES and case.campaign.nomination_required
    if counted_now and not counted_before:
        nomination.place(case, inputs.get("rank") or nomination.nominated(case).count())
        inputs["rank"] = case.nomination_rank
    elif counted_before and not counted_now:
        nomination.lock_quota(case)
        nomination.compact(case)


def _move(case: Case, spec: Spec, *, by, reason: str, inputs: dict, settle: transitions.Settle = _settle) -> Case:
    """Checks already passed, the row locked: the step over the database's facts, then the record."""
    facts = CaseFacts(case)
    _save(transitions.apply(case, spec, by=by, at=facts.now, reason=reason, inputs=inputs, facts=facts,
                            settle=settle))
    return case


def transition(
    *, case: Case | int, name: str, by, reason: str = "", expected_status: str | None = None, **inputs
) -> Case:
    """Perform transition `name` on a case, or raise a WorkflowError explaining why not."""
    spec = transitions.spec_for(name)
    reason = (reason or "").strip()
    case_id = case.pk if isinstance(case, Case) else case
    with transaction.atomic():
        locked = (
            permissions.visible_cases(by)
            .select_for_update(of=("self",))
            .select_related("campaign", "region")
            .filter(pk=case_id)
            .first()
        )
        if locked is None:
            raise NotFound(_("未找到该案例，或您无权查看。"))
        if expected_status and locked.status != expected_status:
            raise transitions.stale(locked)
        refused = transitions.refusal(locked, spec, by=by, reason=reason)
        if refused:
            raise refused
        return _move(locked, spec, by=by, reason=reason, inputs=inputs)


def complete_review_automatically(case: Case) -> Case | None:
    """When the last assigned score is final the case moves on by itself (audited with no actor)."""
    locked = Case.objects.select_for_update().select_related("campaign").filter(pk=case.pk).first()
    if locked is None or locked.status != CaseStatus.IN_REVIEW:
        return None
    try:
        return _move(
            locked, SPECS["complete_review"], by=None, reason=str(transitions.AUTO_COMPLETE_REASON), inputs={}
        )
    except GuardFailed:
        return None


# --- creation --------------------------------------------------------------------------


def create_draft(*, by, campaign: Campaign, title: str, region: Region, **fields) -> Case:
    """A new draft in the submitter's scope; everything but campaign, title and region may wait."""
    transitions.check_creator(by, region)
    if campaign.status != CampaignStatus.OPEN:
        raise GuardFailed(_("“%(campaign)s”当前不接受申报。") % {"campaign": campaign.title})
    indicators = fields.pop("indicators", None)
    with transaction.atomic():
        case = Case(campaign=campaign, title=title, region=region, created_by=by, **fields)
        # The same checks as an edit (period order, category of this campaign), not only the model's.
        validate_case_fields(case, by)
        case.save()
        if indicators:
            replace_indicators(case, indicators)
        _save(transitions.record(case, name="create", from_state="", by=by, reason="", extra={}))
    return case


def import_published(*, by, campaign: Campaign, source: str, published_at=None, tier=None, **fields) -> Case:
    """A past selected case entering as published, with "导入" and its source in its history."""
    transitions.check_importer(by)
    indicators = fields.pop("indicators", None)
    with transaction.atomic():
        case = Case(campaign=campaign, created_by=by, tier=tier, **fields)
        case.full_clean()
        _move(
            case, SPECS[transitions.IMPORT], by=by, reason=transitions.import_reason(source),
            inputs={"source": source, "published_at": published_at},
            settle=lambda case, *_args: case.save(),  # a new case: no nominations to keep
        )
        if indicators:
            replace_indicators(case, indicators)
    return case


def history(case: Case) -> list[CaseTransition]:
    return list(case.history.select_related("by"))


def grant_extension(*, case: Case | int, by, deadline: datetime, reason: str = "") -> Case:
    """The secretariat moves one case's own deadline; recorded in its history."""
    if permissions.role_of(by) not in STAFF:
        raise Forbidden(_("只有组织方可以批准延期。"))
    case_id = case.pk if isinstance(case, Case) else case
    with transaction.atomic():
        locked = Case.objects.select_for_update().filter(pk=case_id).first()
        if locked is None:
            raise NotFound(_("未找到该案例。"))
        if locked.status not in (CaseStatus.DRAFT, CaseStatus.RETURNED):
            raise InvalidState(_("只有草稿或退回修改的案例可以延期。"))
        if deadline <= timezone.now():
            raise GuardFailed(_("新的截止时间必须晚于现在。"))
        locked.deadline_extension = deadline
        locked.save(update_fields=["deadline_extension", "updated_at"])
        _save(transitions.record(locked, name="extend_deadline", from_state=locked.status, by=by, reason=reason,
                                 extra={"deadline": deadline.isoformat()}))
    return locked


@dataclass
class BatchResult:
    done: list[Case] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def transition_many(*, case_ids: list[int], name: str, by, reason: str = "", **inputs) -> BatchResult:
    """The same transition on several cases (e.g. passing the formal check for a batch).

    Each case succeeds or fails on its own (its own transaction), and every refusal says why.
    """
    result = BatchResult()
    for case_id in dict.fromkeys(case_ids):
        try:
            result.done.append(transition(case=case_id, name=name, by=by, reason=reason, **inputs))
        except WorkflowError as exc:
            result.refused.append((case_id, exc.message))
    return result

