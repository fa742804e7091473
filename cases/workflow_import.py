"""`workflow.import_published` for many cases at once: the import of thousands of past results.

Per case it takes the one-by-one path's checks and step: staff only (`transitions.check_importer`);
the model's validation (`full_clean`: lengths, formats, codes, text normalisation); then
`transitions.apply`, the step every path takes: the `import_published` guard (a finished
campaign, a source), the django-fsm move to `published`, `published_at` from the row or now, and
the history row "导入：<source>" with the same `extra`. Province and prefecture come from the
region; the indicators are parsed as an edit parses them; after commit `case_transitioned` is
sent for every case, so the audit log, the search index, renditions, the compilation and the
front cache hear of each.

What differs is only how it is written: a few multi-row INSERTs for all cases, their history and
their indicators instead of about fifteen queries per case, and the foreign keys are not looked
up again (the caller passes the campaign, region, category and tier objects it loaded and
checked; the database's constraints still hold). All or nothing is the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import editing, transitions
from .errors import GuardFailed, WorkflowError
from .facts import CaseFacts
from .models import Campaign, Case, CaseIndicator, CaseTransition, Tier
from .signals import case_transitioned

# Checked by the caller, who loaded these objects: full_clean would query each one again.
LOADED_RELATIONS = ("campaign", "region", "category", "tier", "created_by")
INSERT_BATCH = 1000


@dataclass
class ImportItem:
    campaign: Campaign
    source: str
    published_at: datetime | None = None
    tier: Tier | None = None
    # Case fields, `region` and `category` objects included, and `indicators` (rows as dicts).
    fields: dict[str, Any] = field(default_factory=dict)


class ItemRefused(Exception):
    """Item `index` can't be imported (nothing has been written): a WorkflowError or ValidationError."""

    def __init__(self, index: int, error: WorkflowError | ValidationError):
        super().__init__(str(error))
        self.index, self.error = index, error


def _prepare(item: ImportItem, by, now: datetime) -> tuple[Case, CaseTransition, list[CaseIndicator]]:
    fields = dict(item.fields)
    rows = fields.pop("indicators", None)
    case = Case(campaign=item.campaign, created_by=by, tier=item.tier, **fields)
    if case.campaign is None or case.region_id is None:
        raise GuardFailed(_("缺少征集活动或所属地区。"))
    case.full_clean(exclude=LOADED_RELATIONS)
    record = transitions.apply(
        case, transitions.SPECS[transitions.IMPORT], by=by, at=now, reason=transitions.import_reason(item.source),
        inputs={"source": item.source, "published_at": item.published_at}, facts=CaseFacts(case, now),
    )
    region = case.region
    case.province_id = region.province_code
    case.prefecture_id = region.prefecture_id
    return case, record, editing.parse_indicators(rows) if rows else []


def import_published_many(
    *, by, items: list[ImportItem], progress: Callable[[int, int], None] | None = None
) -> list[Case]:
    """The cases of `items`, published with their history; raises ItemRefused before writing."""
    transitions.check_importer(by)
    now = timezone.now()
    prepared = []
    for index, item in enumerate(items):
        try:
            prepared.append(_prepare(item, by, now))
        except (WorkflowError, ValidationError) as exc:
            raise ItemRefused(index, exc) from None
        if progress:
            progress(index + 1, len(items))
    cases = [case for case, _record, _indicators in prepared]
    with transaction.atomic():
        Case.objects.bulk_create(cases, batch_size=INSERT_BATCH)
        records, indicators = [], []
        for case, record, parsed in prepared:
            record.case = case
            records.append(record)
            for indicator in parsed:
                indicator.case = case
            indicators += parsed
        CaseTransition.objects.bulk_create(records, batch_size=INSERT_BATCH)
        CaseIndicator.objects.bulk_create(indicators, batch_size=INSERT_BATCH)
        transaction.on_commit(lambda: _announce(cases, records))
    return cases


def _announce(cases: list[Case], records: list[CaseTransition]) -> None:
    """What `workflow.transition` announces per transition, for each case in order."""
    for case, record in zip(cases, records, strict=True):
        case_transitioned.send(sender=Case, case=case, record=record)
