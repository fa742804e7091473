"""The objector's progress lookup (公示 page, issue 16): reference number plus the last four
digits of the phone given → the objection's status and, once ruled, the ruling. Nothing else
about the objection or the objector leaves the server, and every miss reads the same, so the
lookup can't tell whether a reference exists. Rate-limited per address (RATE_LIMITS)."""

from __future__ import annotations

import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from .models import Objection
from .models.objections import ObjectionOutcome

REFERENCE = re.compile(r"^[A-Z0-9-]{6,24}$")


@dataclass(frozen=True)
class Progress:
    reference: str
    outcome: str  # ObjectionOutcome value
    outcome_label: str
    conclusion: str  # the ruling, empty while open
    ruled_at: datetime | None  # local time


def normalise(reference: str, last4: str) -> tuple[str, str]:
    """Full-width digits and letters (as Chinese input methods type them) become ASCII."""
    reference = unicodedata.normalize("NFKC", reference or "").strip().upper()
    last4 = unicodedata.normalize("NFKC", last4 or "").strip()
    return reference, last4


def lookup(*, reference: str, phone_last4: str) -> Progress | None:
    """The objection's progress, or None when the reference and digits do not match one
    (including after its personal data, the phone with it, has been erased)."""
    reference, last4 = normalise(reference, phone_last4)
    if not REFERENCE.match(reference) or not re.fullmatch(r"\d{4}", last4):
        return None
    objection = (Objection.objects.filter(reference=reference, personal_data_erased_at__isnull=True)
                 .select_related("case__campaign").first())
    digits = re.sub(r"\D", "", objection.phone) if objection else ""
    # Compared in constant time, and compared even when nothing matched, so timing tells nothing.
    if not hmac.compare_digest((digits[-4:] or "----").encode(), last4.encode()) or objection is None:
        return None
    ruled = objection.outcome != ObjectionOutcome.OPEN
    return Progress(
        reference=objection.reference,
        outcome=objection.outcome,
        outcome_label=str(ObjectionOutcome(objection.outcome).label),
        conclusion=objection.conclusion if ruled else "",
        ruled_at=timezone.localtime(objection.ruled_at, objection.case.campaign.tzinfo) if ruled and objection.ruled_at else None,
    )
