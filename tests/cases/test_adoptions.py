import pytest
from django.core.exceptions import ValidationError

from cases import adoptions, workflow
from tests import factories
from tests.workflow_paths import bring_to

pytestmark = pytest.mark.django_db


def test_another_region_reports_and_the_secretariat_hides(campaign):
    case = bring_to("published", campaign=campaign, region_code="440100")
    zj = factories.submitter("330100", username="s-hz")
    assert adoptions.can_report_adoption(zj, case)
    report = adoptions.report_adoption(case_id=case.pk, by=zj, since="2026-01-01", summary="借鉴银龄课堂做法，结合本地社区学校开展培训。")
    assert report.region_id == "330100" and list(adoptions.public_adoptions(case)) == [report]
    adoptions.hide_adoption(adoption_id=report.pk, by=factories.secretariat(), reason="内容不实")
    assert list(adoptions.public_adoptions(case)) == []


def test_refusals(campaign):
    case = bring_to("published", campaign=campaign, region_code="440100")
    own = factories.submitter("440000", username="s-gd")
    assert not adoptions.can_report_adoption(own, case)
    with pytest.raises(workflow.GuardFailed):
        adoptions.report_adoption(case_id=case.pk, by=own, since="2026-01-01", summary="十个字以上的借鉴做法说明")
    with pytest.raises(workflow.Forbidden):
        adoptions.report_adoption(case_id=case.pk, by=factories.reviewer(), since="2026-01-01", summary="十个字以上的借鉴做法说明")
    with pytest.raises(ValidationError) as err:
        adoptions.report_adoption(case_id=case.pk, by=factories.submitter("330100", username="s-hz"), since="明天", summary="短")
    assert set(err.value.message_dict) == {"since", "summary"}
    draft = bring_to("draft", campaign=campaign, title="草稿")
    with pytest.raises(workflow.NotFound):
        adoptions.report_adoption(case_id=draft.pk, by=factories.submitter("330100", username="s-hz"), since="2026-01-01", summary="十个字以上的借鉴做法说明")
