"""Who sees which cases (docs/domain.md §3) through every endpoint: invisible means 404, never 403."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import CaseAttachment, Region
from tests.factories import case_in, recommender, secretariat, submitter
from tests.files import pdf_upload, png_upload

from .conftest import API, assert_chinese_error, sign_in

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "未找到该案例，或您无权查看。"}


def county(code: str, name: str, parent: str) -> Region:
    """Counties are not shipped in the default region data; tests add the one they need."""
    parent_region = Region.objects.get(code=parent)
    return Region.objects.create(
        code=code, name=name, level="county", kind="county", parent=parent_region, province_id=parent_region.province_id
    )


@pytest.fixture
def hangzhou_case(campaign):
    return case_in("draft", region_code="330100", campaign=campaign)


@pytest.fixture
def gz():
    return sign_in(submitter("440100", username="sub-440100"))


def case_urls(case) -> list[str]:
    image, attachment = case.images.first(), case.attachments.first()
    base = f"{API}/submissions/{case.pk}"
    return [base, f"{base}/images", f"{base}/attachments", f"{base}/transitions", f"{base}/history",
            f"{base}/images/{image.pk}", f"{base}/attachments/{attachment.pk}"]


def test_submitter_cannot_reach_another_regions_case_anywhere(gz, hangzhou_case):
    base = f"{API}/submissions/{hangzhou_case.pk}"
    image, attachment = hangzhou_case.images.first(), hangzhou_case.attachments.first()

    assert gz.get(f"{API}/submissions").json()["count"] == 0
    for url in [base, f"{base}/images", f"{base}/attachments", f"{base}/transitions", f"{base}/history"]:
        assert gz.get(url).json() == NOT_FOUND, url
    assert gz.patch(base, {"title": "改名"}, format="json").json() == NOT_FOUND
    assert gz.post(f"{base}/images", {"file": png_upload(), "alt": "图"}).json() == NOT_FOUND
    assert gz.post(f"{base}/attachments", {"file": pdf_upload()}).json() == NOT_FOUND
    assert gz.delete(f"{base}/images/{image.pk}").json() == NOT_FOUND
    assert gz.delete(f"{base}/attachments/{attachment.pk}").json() == NOT_FOUND
    for name in ["submit", "withdraw"]:
        response = gz.post(f"{base}/transitions/{name}", {"reason": "试试"}, format="json")
        assert response.status_code == 404, name

    hangzhou_case.refresh_from_db()
    assert hangzhou_case.status == "draft" and hangzhou_case.title != "改名"
    assert hangzhou_case.images.count() == 1 and hangzhou_case.attachments.count() == 1


def test_an_invisible_case_looks_exactly_like_a_missing_one(gz, hangzhou_case):
    hidden = gz.get(f"{API}/submissions/{hangzhou_case.pk}")
    missing = gz.get(f"{API}/submissions/{hangzhou_case.pk + 1000}")
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json()) == (404, NOT_FOUND)
    huge = gz.get(f"{API}/submissions/99999999999999999999")
    assert (huge.status_code, huge.json()) == (404, {"detail": "接口地址不存在。"})


def test_file_views_hide_another_regions_files_from_a_signed_in_browser(hangzhou_case):
    browser = Client()
    browser.force_login(submitter("440100", username="sub-440100"))
    image, attachment = hangzhou_case.images.first(), hangzhou_case.attachments.first()
    assert browser.get(reverse("case_files:attachment", args=[attachment.pk])).status_code == 404
    for spec in ["original", "max-800x600"]:
        assert browser.get(reverse("case_files:image", args=[image.pk, spec])).status_code == 404

    owner = Client()
    owner.force_login(submitter("330100", username="sub-330100"))
    assert owner.get(reverse("case_files:attachment", args=[attachment.pk])).status_code == 200
    assert owner.get(reverse("case_files:image", args=[image.pk, "original"])).status_code == 200


def test_urls_in_the_case_detail_point_at_the_checking_file_views(campaign):
    case = case_in("draft", region_code="440100", campaign=campaign)
    body = sign_in(submitter("440100", username="sub-440100")).get(f"{API}/submissions/{case.pk}").json()
    browser = Client()
    browser.force_login(submitter("440100", username="sub-440100"))
    assert browser.get(body["images"][0]["url"]).status_code == 200
    assert browser.get(body["images"][0]["original_url"]).status_code == 200
    assert browser.get(body["attachments"][0]["url"]).status_code == 200
    assert Client().get(body["attachments"][0]["url"]).status_code == 404


def test_prefecture_submitter_sees_the_cases_of_its_counties(campaign):
    county("440104", "越秀区", parent="440100")
    county_case = case_in("draft", region_code="440104", campaign=campaign)
    city_case = case_in("draft", region_code="440100", campaign=campaign)
    shenzhen_case = case_in("draft", region_code="440300", campaign=campaign)

    city = sign_in(submitter("440100", username="sub-440100"))
    listed = {row["id"] for row in city.get(f"{API}/submissions").json()["results"]}
    assert listed == {county_case.pk, city_case.pk}
    detail = city.get(f"{API}/submissions/{county_case.pk}").json()
    assert detail["region"] == {"code": "440104", "name": "越秀区"}
    assert detail["province"] == {"code": "440000", "name": "广东省"}
    assert detail["contact_phone"] == "13800138000"
    assert city.patch(f"{API}/submissions/{county_case.pk}", {"summary": "市级补充"}, format="json").status_code == 200
    assert city.get(f"{API}/submissions/{shenzhen_case.pk}").status_code == 404

    district = sign_in(submitter("440104", username="sub-440104"))
    assert {row["id"] for row in district.get(f"{API}/submissions").json()["results"]} == {county_case.pk}
    assert district.get(f"{API}/submissions/{city_case.pk}").status_code == 404


def test_recommender_sees_its_provinces_cases_from_submitted_on_and_no_drafts(campaign):
    draft = case_in("draft", region_code="440100", campaign=campaign)
    submitted = case_in("submitted", region_code="440300", campaign=campaign)
    returned = case_in("returned", region_code="440100", campaign=campaign)
    zhejiang = case_in("submitted", region_code="330100", campaign=campaign)

    gd = sign_in(recommender("440000", username="rec-440000"))
    listed = {row["id"] for row in gd.get(f"{API}/submissions").json()["results"]}
    assert listed == {submitted.pk, returned.pk}
    assert gd.get(f"{API}/submissions/{draft.pk}").json() == NOT_FOUND
    assert gd.get(f"{API}/submissions/{draft.pk}/images").status_code == 404
    assert gd.get(f"{API}/submissions/{zhejiang.pk}").status_code == 404
    detail = gd.get(f"{API}/submissions/{submitted.pk}").json()
    assert detail["contact_email"] == "wangfang@example.cn"
    # Seeing is not editing: the recommender's role may not change the content.
    assert_chinese_error(gd.patch(f"{API}/submissions/{submitted.pk}", {"title": "改"}, format="json"), 403)


def test_another_regions_published_case_is_readable_but_not_its_private_parts(campaign):
    published = case_in("published", region_code="330100", campaign=campaign)
    # A private attachment added before submission stays private after publication.
    CaseAttachment.objects.filter(case=published).update(public=False)
    gz = sign_in(submitter("440100", username="sub-440100"))
    assert gz.get(f"{API}/submissions").json()["count"] == 0  # not a case it works on
    body = gz.get(f"{API}/submissions/{published.pk}").json()
    assert body["status"] == "published"
    assert body["contact_name"] is body["contact_phone"] is body["contact_email"] is None
    assert body["attachments"] == []
    assert gz.get(f"{API}/submissions/{published.pk}/attachments").json()["results"] == []
    assert_chinese_error(gz.patch(f"{API}/submissions/{published.pk}", {"title": "改"}, format="json"), 403)
    # Its audit trail (actors, reasons) stays with the people who work on it.
    assert gz.get(f"{API}/submissions/{published.pk}/history").json() == NOT_FOUND
    assert gz.get(f"{API}/submissions/{published.pk}/transitions").json() == []


def test_secretariat_sees_everything(campaign, hangzhou_case):
    gz_case = case_in("draft", region_code="440100", campaign=campaign)
    sec = sign_in(secretariat(username="sec"))
    listed = {row["id"] for row in sec.get(f"{API}/submissions").json()["results"]}
    assert listed == {hangzhou_case.pk, gz_case.pk}
    assert sec.get(f"{API}/submissions/{hangzhou_case.pk}").json()["contact_name"] == "王芳"


def test_signed_in_endpoints_need_sign_in(anon, hangzhou_case):
    for url in case_urls(hangzhou_case)[:5] + [f"{API}/submissions"]:
        response = anon.get(url)
        assert response.status_code == 401, url
        assert response.json() == {"detail": "请先登录。"}


def test_session_clients_work_but_unsafe_requests_need_csrf(campaign):
    from rest_framework.test import APIClient

    case = case_in("draft", region_code="440100", campaign=campaign)
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(submitter("440100", username="sub-440100"))
    assert browser.get(f"{API}/submissions/{case.pk}").status_code == 200
    body = assert_chinese_error(browser.patch(f"{API}/submissions/{case.pk}", {"title": "改"}, format="json"), 403)
    assert "CSRF" in body["detail"]
