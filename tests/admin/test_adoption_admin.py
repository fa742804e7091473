"""借鉴报告 (cases/admin/adoption_views.py): the secretariat hides a report with a reason and shows it
again; the public case page and the API follow at once; the audit log keeps both; no one else may."""

from datetime import date

import pytest

from audit.models import AuditEvent
from cases import adoptions
from cases.models import Adoption
from tests import factories
from tests.workflow_paths import bring_to

pytestmark = pytest.mark.django_db
SUMMARY = "借鉴银龄数字课堂的做法，在社区开设手机课堂。"


@pytest.fixture
def report(campaign):
    case = bring_to("published", campaign=campaign, region_code="440100", title="银龄数字课堂")
    return adoptions.report_adoption(case_id=case.pk, by=factories.submitter("330100", username="s-hz"),
                                     since=date(2026, 3, 1), summary=SUMMARY)


def public_texts(client, case_id: int) -> tuple[str, str]:
    page = client.get(f"/cases/{case_id}/").content.decode()
    api = client.get(f"/api/v1/cases/{case_id}").content.decode()
    return page, api


def test_secretariat_hides_and_restores_a_report(client, as_user, secretariat, report):
    anon = type(client)()
    page, api = public_texts(anon, report.case_id)  # rendered and cached before the hide
    assert SUMMARY in page and SUMMARY in api
    staff = as_user(secretariat)
    listing = staff.get("/admin/adoptions/").content.decode()
    assert "银龄数字课堂" in listing and f'href="/cases/{report.case_id}/"' in listing and "公开" in listing
    url = f"/admin/adoptions/{report.pk}/"
    confirm = staff.post(url, {"operation": "hide", "reason": "内容与案例无关"})
    assert confirm.status_code == 200 and "确认隐藏" in confirm.content.decode()
    report.refresh_from_db()
    assert not report.hidden  # nothing happens before the confirmation
    done = staff.post(url, {"operation": "hide", "reason": "内容与案例无关", "confirmed": "1"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.hidden and report.hidden_reason == "内容与案例无关"
    page, api = public_texts(anon, report.case_id)
    assert SUMMARY not in page and SUMMARY not in api
    event = AuditEvent.objects.get(action="adoption.hidden")
    assert event.user_id == secretariat.pk and event.object_id == str(report.pk)
    assert event.details["reason"] == "内容与案例无关"
    hidden_list = staff.get("/admin/adoptions/?state=hidden").content.decode()
    assert "已隐藏" in hidden_list and "内容与案例无关" in hidden_list
    assert "银龄数字课堂" not in staff.get("/admin/adoptions/?state=public").content.decode()

    assert staff.post(url, {"operation": "unhide"}).status_code == 302
    report.refresh_from_db()
    assert not report.hidden and report.hidden_reason == ""
    assert AuditEvent.objects.filter(action="adoption.unhidden", object_id=str(report.pk)).exists()
    page, api = public_texts(anon, report.case_id)
    assert SUMMARY in page and SUMMARY in api


def test_a_hide_without_a_reason_is_refused_in_chinese(as_user, secretariat, report):
    response = as_user(secretariat).post(f"/admin/adoptions/{report.pk}/", {"operation": "hide", "reason": "  ", "confirmed": "1"})
    assert response.status_code == 200 and "请填写隐藏原因。" in response.content.decode()
    report.refresh_from_db()
    assert not report.hidden
    assert not AuditEvent.objects.filter(action="adoption.hidden").exists()


def test_the_service_keeps_the_rules(secretariat, report):
    with pytest.raises(adoptions.ValidationError):
        adoptions.hide_adoption(adoption_id=report.pk, by=secretariat, reason="")
    with pytest.raises(adoptions.Forbidden):
        adoptions.hide_adoption(adoption_id=report.pk, by=factories.reviewer(), reason="重复")
    adoptions.hide_adoption(adoption_id=report.pk, by=secretariat, reason="重复")
    # The region reported again: the old report can't come back beside the new one.
    adoptions.report_adoption(case_id=report.case_id, by=factories.submitter("330100", username="s-hz2"),
                              since=date(2026, 4, 1), summary="重新报告：在社区开设手机课堂。")
    with pytest.raises(adoptions.InvalidState):
        adoptions.unhide_adoption(adoption_id=report.pk, by=secretariat)
    assert Adoption.objects.filter(case_id=report.case_id, hidden=False).count() == 1


@pytest.mark.parametrize("make", [lambda: factories.submitter("440100", username="s-gz"),
                                  lambda: factories.recommender("440000", username="r-gd"),
                                  lambda: factories.reviewer()])
def test_other_roles_cannot_open_or_post(client, report, make):
    client.force_login(make())
    assert client.get("/admin/adoptions/").status_code == 404
    assert client.get(f"/admin/adoptions/{report.pk}/").status_code == 404
    response = client.post(f"/admin/adoptions/{report.pk}/", {"operation": "hide", "reason": "重复", "confirmed": "1"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert not report.hidden
