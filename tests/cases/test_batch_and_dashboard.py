import pytest

from cases import selectors, workflow
from tests import factories
from tests.workflow_paths import bring_to

pytestmark = pytest.mark.django_db


def test_batch_pass_check_reports_each_refusal(campaign):
    ok1 = bring_to("recommended", campaign=campaign, title="甲")
    ok2 = bring_to("recommended", campaign=campaign, title="乙")
    draft = bring_to("draft", campaign=campaign, title="丙")
    result = workflow.transition_many(case_ids=[ok1.pk, ok2.pk, draft.pk, ok1.pk], name="pass_check", by=factories.secretariat())
    assert sorted(c.pk for c in result.done) == sorted([ok1.pk, ok2.pk])
    assert [(pk, "不能执行" in msg) for pk, msg in result.refused] == [(draft.pk, True)]


def test_dashboard_counts(campaign):
    bring_to("submitted", campaign=campaign, region_code="440100", title="甲")
    bring_to("draft", campaign=campaign, region_code="440100", title="乙")
    bring_to("submitted", campaign=campaign, region_code="330100", title="丙")
    counts = selectors.campaign_state_counts(campaign)
    assert counts["submitted"] == 2 and counts["draft"] == 1 and counts["published"] == 0
    by_province = {p["code"]: p for p in selectors.campaign_province_counts(campaign)}
    assert by_province["440000"]["total"] == 2 and by_province["440000"]["name"] == "广东省"
    assert by_province["330000"]["states"] == {"submitted": 1}
    rec = factories.recommender("440000", username="rec-gd")
    assert [c.title for c in selectors.cases_awaiting(rec, campaign=campaign, status="submitted")] == ["甲"]
