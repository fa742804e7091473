"""公示 for the public over the API: the notice list and objections (201 / 400 / 404)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cases.models import Case, Objection
from tests import factories
from tests.files import pdf_upload, png_upload
from tests.workflow_paths import COMPLETE_FIELDS, bring_to

from .conftest import API, assert_chinese_error, sign_in

pytestmark = pytest.mark.django_db

VALID = {"name": "李明", "phone": "13900139000", "email": "liming@example.cn",
         "reason": "该案例的培训人次数据与公开报道不符。"}


def test_notices_list_only_cases_in_notice_without_contacts(campaign, anon):
    running = bring_to("in_notice", campaign=campaign, title="公示中的案例")
    bring_to("shortlisted", campaign=campaign, title="拟入选的案例")
    bring_to("published", campaign=campaign, title="已发布的案例")
    bring_to("in_review", campaign=campaign, title="评审中的案例")
    response = anon.get(f"{API}/notices")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (1, 1, 20)
    item = body["results"][0]
    assert set(item) >= {"id", "title", "region", "province", "campaign", "tier", "notice_ends"}
    assert item["id"] == running.pk and item["title"] == "公示中的案例"
    assert item["region"] == {"code": "440100", "name": "广州市"} and item["province"]["code"] == "440000"
    assert item["campaign"] == {"slug": campaign.slug, "title": campaign.title, "year": 2026}
    assert item["tier"] == {"code": "exemplary", "title": "示范案例"}
    ends = timezone.localtime(Case.objects.get(pk=running.pk).notice_ends).replace(microsecond=0)
    assert item["notice_ends"] == ends.isoformat() and item["notice_ends"].endswith("+08:00")
    assert item["url"] == f"/notices/{running.pk}/"
    text = response.content.decode()
    for secret in ("contact", COMPLETE_FIELDS["contact_phone"], COMPLETE_FIELDS["contact_email"],
                   COMPLETE_FIELDS["contact_name"]):
        assert secret not in text
    assert anon.get(f"{API}/notices", {"campaign": "other"}).json()["count"] == 0
    assert anon.get(f"{API}/notices", {"campaign": campaign.slug}).json()["count"] == 1
    assert_chinese_error(anon.get(f"{API}/notices", {"campaign": "../x"}), 400)
    assert_chinese_error(anon.get(f"{API}/notices", {"page_size": 500}), 400)


def test_objection_is_accepted_with_a_reference(campaign, anon, django_capture_on_commit_callbacks):
    case = bring_to("in_notice", campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True):
        response = anon.post(f"{API}/cases/{case.pk}/objections", VALID, format="json")
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    assert response.json() == {"reference": reference} and reference.startswith("YY")
    stored = Objection.objects.get(reference=reference)
    assert (stored.case_id, stored.name, stored.outcome, stored.evidence) == (case.pk, "李明", "open", None)
    assert mail.outbox[-1].to == ["liming@example.cn"] and reference in mail.outbox[-1].body


def test_objection_with_an_evidence_file_as_multipart(campaign, anon):
    case = bring_to("in_notice", campaign=campaign)
    response = anon.post(f"{API}/cases/{case.pk}/objections", {**VALID, "evidence": pdf_upload()}, format="multipart")
    assert response.status_code == 201, response.content
    assert Objection.objects.get().evidence is not None
    body = assert_chinese_error(
        anon.post(f"{API}/cases/{case.pk}/objections", {**VALID, "evidence": png_upload()}, format="multipart"), 400
    )
    assert "evidence" in body["errors"] and "证明材料" in body["detail"]
    assert Objection.objects.count() == 1


def test_signed_in_users_may_object_too(campaign):
    case = bring_to("in_notice", campaign=campaign)
    client = sign_in(factories.submitter("330100", username="s-hz"))
    assert client.post(f"{API}/cases/{case.pk}/objections", VALID, format="json").status_code == 201


def test_invalid_fields_are_400_in_chinese_naming_each(campaign, anon):
    case = bring_to("in_notice", campaign=campaign)
    body = assert_chinese_error(
        anon.post(f"{API}/cases/{case.pk}/objections", {"name": "", "phone": "123", "email": "x", "reason": "短"},
                  format="json"),
        400,
    )
    assert set(body["errors"]) == {"name", "phone", "email", "reason"}
    for words in ("真实姓名", "联系电话", "电子邮箱", "异议理由"):
        assert words in body["detail"], body
    body = assert_chinese_error(anon.post(f"{API}/cases/{case.pk}/objections", {}, format="json"), 400)
    assert set(body["errors"]) == {"name", "phone", "email", "reason"}
    assert_chinese_error(anon.post(f"{API}/cases/{case.pk}/objections", {**VALID, "name": 5}, format="json"), 400)
    assert_chinese_error(anon.post(f"{API}/cases/{case.pk}/objections", {**VALID, "evidence": "x"}, format="json"), 400)
    assert not Objection.objects.exists()


def test_published_case_or_ended_notice_is_400(campaign, anon):
    published = bring_to("published", campaign=campaign, title="已发布")
    body = assert_chinese_error(anon.post(f"{API}/cases/{published.pk}/objections", VALID, format="json"), 400)
    assert "公示期已结束" in body["detail"]
    ended = bring_to("in_notice", campaign=campaign, title="公示刚结束")
    Case.objects.filter(pk=ended.pk).update(notice_ends=timezone.now() - timedelta(seconds=1))
    assert "公示期已结束" in assert_chinese_error(
        anon.post(f"{API}/cases/{ended.pk}/objections", VALID, format="json"), 400)["detail"]
    assert not Objection.objects.exists()


@pytest.mark.parametrize("state", ["draft", "submitted", "shortlisted", "in_review"])
def test_a_case_never_public_is_404(campaign, anon, state):
    case = bring_to(state, campaign=campaign)
    assert_chinese_error(anon.post(f"{API}/cases/{case.pk}/objections", VALID, format="json"), 404)


def test_unknown_case_is_404_and_disqualified_is_404(campaign, anon):
    assert_chinese_error(anon.post(f"{API}/cases/999999/objections", VALID, format="json"), 404)
    gone = bring_to("disqualified", campaign=campaign)
    assert_chinese_error(anon.post(f"{API}/cases/{gone.pk}/objections", VALID, format="json"), 404)
    # Only POST: the path is not a second way to read a case.
    assert anon.get(f"{API}/cases/{gone.pk}/objections").status_code == 405


def test_odd_input_never_makes_a_server_error(campaign, anon):
    case = bring_to("in_notice", campaign=campaign)
    anon.raise_request_exception = False
    bodies = [None, "{", "[]", "123", '{"name": {"a": 1}, "phone": [1], "email": null, "reason": 5}',
              '{"name": "\\u0000", "phone": "13900139000", "email": "a@b.cn", "reason": "理由理由理由理由理由理由"}']
    for url in [f"{API}/notices", f"{API}/cases/{case.pk}/objections"]:
        for method in ["get", "head", "options"]:
            assert getattr(anon, method)(url, {"page": "x", "campaign": "\x00"}).status_code < 500
        for method in ["post", "put", "patch", "delete"]:
            for body in bodies:
                response = getattr(anon, method)(url, body, content_type="application/json")
                assert response.status_code < 500, (method, url, body, response.content)
                if response.status_code >= 400:
                    assert isinstance(response.json().get("detail"), str), (method, url, body)


def test_the_public_url_of_a_case_in_notice_is_its_notice_page(campaign, anon, client):
    case = bring_to("in_notice", campaign=campaign)
    body = anon.get(f"{API}/cases/{case.pk}").json()
    assert body["status"] == "in_notice" and body["url"] == f"/notices/{case.pk}/"
    assert client.get(body["url"]).status_code == 200
