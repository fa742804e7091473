"""What cases writes into the audit log by itself: every transition and every score saved.

The audit log stands below cases (docs/architecture.md, "Layers"): it offers `audit.record` and
never imports cases. So the receivers that turn a case's events into audit events live here,
connected in `CasesConfig.ready`, and the words the 审计日志 page uses for states and transitions
are registered with `audit.summary` from here too.
"""

from __future__ import annotations

import logging

from django.db.models.signals import post_save

import audit
from audit import actions, summary
from audit.services import write_collected

from . import effects
from .admin.display import action_label
from .signals import case_transitioned
from .states import CaseStatus

logger = logging.getLogger(__name__)


def on_case_transitioned(sender, case, **kwargs) -> None:
    transition = kwargs["record"]  # the CaseTransition row
    try:
        audit.record(
            actions.CASE_TRANSITION,
            user=transition.by,
            obj=case,
            details={
                "transition": transition.transition,
                "from": transition.from_state,
                "to": transition.to_state,
                "reason": (transition.reason or "")[:500],
                "record_id": transition.pk,
            },
            # Inside `effects.batched()` (an import) the events are written together at its end.
            into=effects.bucket("audit.events", write_collected),
        )
    except Exception:  # an effect after commit must not fail the request that caused it
        logger.exception("Could not audit transition of case %s", getattr(case, "pk", None))


def on_review_saved(sender, instance, created: bool = False, update_fields=None, raw: bool = False, **kwargs) -> None:
    if raw or created:
        return
    if update_fields is not None and not {"scores", "status", "total", "comment"} & set(update_fields):
        return
    audit.record(
        actions.REVIEW_SCORE, obj=instance,
        details={"case": instance.case_id, "reviewer": instance.reviewer_id, "status": instance.status,
                 "total": instance.total},
    )


def state_word(value: str) -> str | None:
    """A case state's label (待审核, 已发布 …); None for other values (a review's status)."""
    return str(CaseStatus(value).label) if value in CaseStatus.values else None


def connect() -> None:
    post_save.connect(on_review_saved, sender="cases.ReviewAssignment", dispatch_uid="audit_review_saved")
    case_transitioned.connect(on_case_transitioned, dispatch_uid="audit_case_transitioned")
    summary.register_words(("from", "to", "status"), state_word)
    summary.register_words(("transition",), action_label)
