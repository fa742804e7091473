"""Cases for the 查重 tests, made through the workflow with the after-commit effects run (the
index is updated and reports are queued by the real hooks, immediately in tests)."""

from __future__ import annotations

import pytest

from cases import workflow
from cases.states import CampaignStatus
from tests import factories
from tests.workflow_paths import complete_draft


@pytest.fixture
def last_year(db):
    return factories.CampaignFactory(slug="campaign-2025", year=2025, status=CampaignStatus.FINISHED)


@pytest.fixture
def make_case(campaign, last_year, django_capture_on_commit_callbacks):
    """make_case(state, fields, region=..., organisation=...): "published" (imported into last
    year's campaign), "draft" or "submitted" (this year's, submitted by its submitter)."""

    def make(state: str, fields: dict, *, region: str = "440100", organisation: str = "越秀区委网信办"):
        fields = {**fields, "organisation": organisation}
        with django_capture_on_commit_callbacks(execute=True):
            if state == "published":
                staff = factories.secretariat(username="secretariat-test")
                return workflow.import_published(
                    by=staff, campaign=last_year, source="2025年入选名单", region=factories.region(region),
                    **{"summary": "", **fields},
                )
            case = complete_draft(campaign=campaign, region_code=region, **fields)
            if state == "submitted":
                by = factories.submitter(region, username=f"sub-{region}")
                case = workflow.transition(case=case, name="submit", by=by)
            return case

    return make
