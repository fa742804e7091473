"""The 查重 pages as the secretariat reads them (issue 17), in chromium: the report and the side-by-side
page have no WCAG 2.1 AA violations, and the two columns sit side by side at 1280 px."""

from __future__ import annotations

import pytest

from cases import workflow
from cases.states import CampaignStatus
from similarity.models import Report
from tests import factories
from tests.browser.conftest import axe_violations, sign_in
from tests.similarity import texts
from tests.workflow_paths import complete_draft

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_report_and_side_by_side_pages(browser, site, campaign):
    last_year = factories.CampaignFactory(slug="a11y-2025", year=2025, status=CampaignStatus.FINISHED)
    staff = factories.secretariat(username="secretariat-test")
    workflow.import_published(by=staff, campaign=last_year, source="2025年入选名单", region=factories.region("330100"),
                              organisation="杭州市某街道办事处", **texts.source_fields())
    case = complete_draft(campaign=campaign, region_code="440100", **texts.disguised_copy_fields())
    workflow.transition(case=case, name="submit", by=factories.submitter("440100", username="sub-440100"))
    report = Report.objects.get(case=case)  # transactional test: the hook ran after the commit
    source = report.sources.first()

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sign_in(context, site, staff)
    page = context.new_page()
    page.goto(f"{site}/admin/similarity/{case.pk}/")
    assert page.get_by_text(texts.SOURCE_TITLE).count() >= 1
    assert axe_violations(page) == []
    page.goto(f"{site}/admin/similarity/{case.pk}/source/{source.pk}/")
    left, right = page.locator(".cb-similarity-columns > section").all()
    assert left.bounding_box()["x"] < right.bounding_box()["x"]  # side by side, not stacked
    assert page.locator("mark").count() >= 8
    assert axe_violations(page) == []
    context.close()
