"""Hooks into the case lifecycle (after commit, like notifications and search indexing):

- a case's text saved → its fingerprints brought up to date (incremental index);
- `submit` (first submission or re-submission after 退回修改) → a report queued for that version.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save

from cases.models import Case
from cases.signals import case_transitioned

from .index import request_update
from .services import request_check
from .texts import CHECKED_FIELDS


def on_case_saved(sender, *, instance: Case, created: bool, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not set(update_fields) & set(CHECKED_FIELDS):
        return  # a state change or bookkeeping: the text is what it was
    case_id = instance.pk
    transaction.on_commit(lambda: request_update([case_id]))


def on_case_transitioned(sender, *, case: Case, record, **kwargs) -> None:
    if record.transition != "submit":
        return
    request_check(case=case, by=record.by)


def connect() -> None:
    post_save.connect(on_case_saved, sender=Case, dispatch_uid="similarity.case_saved")
    case_transitioned.connect(on_case_transitioned, dispatch_uid="similarity.case_transitioned")
