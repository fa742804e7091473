"""Rebuild a campaign's compilation when one of its cases enters or leaves `published`.

Connected from `WebsiteConfig.ready()`. `case_transitioned` is sent after commit, so a
rolled-back publication never triggers a build.
"""

from __future__ import annotations

from django.db import transaction

from cases import effects
from cases.models import Case
from cases.signals import case_transitioned
from cases.states import CaseStatus

from .tasks import request_build


def on_case_transitioned(sender, *, case, record, **kwargs) -> None:
    if record.to_state != CaseStatus.PUBLISHED and record.from_state != CaseStatus.PUBLISHED:
        return
    # Bulk work (an import of thousands of cases): one request per campaign, at the end.
    campaigns = effects.bucket("compilation.request_build", _request_builds)
    if campaigns is None:
        request_build(case.campaign_id)
    else:
        campaigns[case.campaign_id] = None


def _request_builds(campaigns: dict[int, None]) -> None:
    for campaign_id in campaigns:
        request_build(campaign_id)


def on_case_saved(sender, *, instance, created: bool, update_fields=None, **kwargs) -> None:
    """A published case corrected in place: rebuild once the edit commits (transitions are above)."""
    if created or instance.status != CaseStatus.PUBLISHED or (update_fields and "status" in update_fields):
        return
    campaign_id = instance.campaign_id
    transaction.on_commit(lambda: request_build(campaign_id))


def connect() -> None:
    from django.db.models.signals import post_save

    case_transitioned.connect(on_case_transitioned, dispatch_uid="website.compilation")
    post_save.connect(on_case_saved, sender=Case, dispatch_uid="website.compilation_case_saved")
