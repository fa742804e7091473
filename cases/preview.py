"""What a workflow action would do, asked before it is done (the confirmation pages of the admin).

A confirmation page lists only the cases an action will really change and says, for every other
case, why it will be skipped: the very message the transition would give. Rather than re-stating
the rules, `refusal` runs the real `workflow.transition` inside a transaction that is always rolled
back, so the prediction and the action can never disagree (same state checks, role checks and
guards, whatever their implementation). The transition's effects wait for the commit
(`transaction.on_commit`), so nothing is sent or indexed for a rehearsal. See docs/lifecycle.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from . import workflow
from .errors import WorkflowError
from .models import Case

# Stands in for a reason the confirmation page is about to ask for (a missing reason is the form's
# error, not a reason to skip the case).
_PENDING_REASON = "（待填写）"


class _Rehearsal(Exception):
    """Raised to roll the rehearsed transition back."""


def refusal(*, case: Case | int, name: str, by, **inputs) -> str | None:
    """Why `workflow.transition(case, name, by, **inputs)` would be refused now, or None if it would pass."""
    spec = workflow.SPECS.get(name)
    reason = inputs.pop("reason", "") or (_PENDING_REASON if spec is not None and spec.requires_reason else "")
    try:
        with transaction.atomic():
            workflow.transition(case=case, name=name, by=by, reason=reason, **inputs)
            raise _Rehearsal
    except _Rehearsal:
        return None
    except WorkflowError as exc:
        return exc.message


@dataclass
class Outlook:
    """The cases an action will change, and the others with the reason each will be skipped."""

    changes: list[Case] = field(default_factory=list)
    skips: list[tuple[Case, str]] = field(default_factory=list)


def outlook(*, cases: Iterable[Case], name: str, by, **inputs) -> Outlook:
    """`refusal` for each case, in the given order (each case on its own, as `transition_many` does)."""
    result = Outlook()
    for case in cases:
        why = refusal(case=case.pk, name=name, by=by, **inputs)
        if why is None:
            result.changes.append(case)
        else:
            result.skips.append((case, why))
    return result
