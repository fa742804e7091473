"""Images and attachments: multipart upload checked by content, listing, deletion, state rules."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import CaseAttachment, CaseImage
from tests.factories import case_in, recommender, submitter
from tests.files import pdf_upload, png_upload

from .conftest import API, assert_chinese_error, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def gz():
    return sign_in(submitter("440100", username="sub-440100"))


@pytest.fixture
def draft(campaign):
    return case_in("draft", region_code="440100", campaign=campaign)


def test_upload_list_and_delete_an_image(gz, draft):
    base = f"{API}/submissions/{draft.pk}/images"
    response = gz.post(
        base, {"file": png_upload("cover.png"), "alt": "社区课堂现场", "is_cover": "true", "title": "封面"}
    )
    assert response.status_code == 201, response.content
    image = response.json()
    assert image["alt"] == "社区课堂现场" and image["is_cover"] is True
    assert image["url"] == f"/files/images/{image['id']}/max-800x600/"
    listed = gz.get(base).json()
    assert listed["count"] == 2
    assert [row["is_cover"] for row in listed["results"]] == [False, True]

    assert gz.delete(f"{base}/{image['id']}").status_code == 204
    assert not CaseImage.objects.filter(pk=image["id"]).exists()
    assert gz.get(base).json()["results"][0]["is_cover"] is True
    assert gz.delete(f"{base}/{image['id']}").status_code == 404


def test_upload_list_and_delete_an_attachment(gz, draft):
    base = f"{API}/submissions/{draft.pk}/attachments"
    response = gz.post(base, {"file": pdf_upload("推荐函.pdf"), "kind": "recommendation_letter", "public": "true"})
    assert response.status_code == 201, response.content
    attachment = response.json()
    assert attachment["title"] == "推荐函"
    assert attachment["kind"] == "recommendation_letter" and attachment["public"] is False  # never public
    assert gz.get(base).json()["count"] == 2
    assert gz.delete(f"{base}/{attachment['id']}").status_code == 204
    assert not CaseAttachment.objects.filter(pk=attachment["id"]).exists()


def test_a_png_that_is_really_text_is_refused(gz, draft):
    fake = SimpleUploadedFile("photo.png", b"just some text, not an image", content_type="image/png")
    body = assert_chinese_error(gz.post(f"{API}/submissions/{draft.pk}/images", {"file": fake, "alt": "图"}), 400)
    assert "file" in body["errors"]
    assert draft.images.count() == 1


def test_a_pdf_that_is_really_an_image_is_refused(gz, draft):
    fake = SimpleUploadedFile("evidence.pdf", png_upload().read(), content_type="application/pdf")
    assert_chinese_error(gz.post(f"{API}/submissions/{draft.pk}/attachments", {"file": fake}), 400)
    assert draft.attachments.count() == 1


@pytest.mark.parametrize(
    "data,field",
    [
        ({}, "file"),
        ({"file": "not a file", "alt": "图"}, "file"),
        ({"alt": "图"}, "file"),
        ({"file": "FILE", "alt": ""}, "alt"),
        ({"file": "FILE", "alt": "图", "is_cover": "maybe"}, "is_cover"),
        ({"file": "FILE", "alt": "图", "status": "published"}, "status"),
    ],
)
def test_bad_image_uploads_are_400(gz, draft, data, field):
    data = {k: (png_upload() if v == "FILE" else v) for k, v in data.items()}
    body = assert_chinese_error(gz.post(f"{API}/submissions/{draft.pk}/images", data), 400)
    assert field in body["errors"], body
    assert draft.images.count() == 1


def test_bad_attachment_kind_is_400(gz, draft):
    body = assert_chinese_error(
        gz.post(f"{API}/submissions/{draft.pk}/attachments", {"file": pdf_upload(), "kind": "selfie"}), 400
    )
    assert "kind" in body["errors"]


def test_uploads_need_multipart(gz, draft):
    response = gz.post(f"{API}/submissions/{draft.pk}/images", {"file": "x", "alt": "图"}, format="json")
    assert_chinese_error(response, 415)


def test_files_of_a_submitted_case_cannot_change(campaign):
    case = case_in("submitted", region_code="440100", campaign=campaign)
    client = sign_in(submitter("440100", username="sub-440100"))
    image, attachment = case.images.first(), case.attachments.first()
    base = f"{API}/submissions/{case.pk}"
    assert_chinese_error(client.post(f"{base}/images", {"file": png_upload(), "alt": "图"}), 409)
    assert_chinese_error(client.post(f"{base}/attachments", {"file": pdf_upload()}), 409)
    assert_chinese_error(client.delete(f"{base}/images/{image.pk}"), 409)
    assert_chinese_error(client.delete(f"{base}/attachments/{attachment.pk}"), 409)
    assert case.images.count() == 1 and case.attachments.count() == 1


def test_a_recommender_sees_files_but_may_not_change_them(campaign):
    case = case_in("submitted", region_code="440100", campaign=campaign)
    client = sign_in(recommender("440000", username="rec-440000"))
    base = f"{API}/submissions/{case.pk}"
    assert client.get(f"{base}/images").json()["count"] == 1
    assert client.get(f"{base}/attachments").json()["count"] == 1
    assert_chinese_error(client.post(f"{base}/images", {"file": png_upload(), "alt": "图"}), 403)
    assert_chinese_error(client.delete(f"{base}/images/{case.images.first().pk}"), 403)


def test_an_image_of_another_case_cannot_be_deleted_through_mine(gz, draft, campaign):
    other = case_in("draft", region_code="440100", campaign=campaign, title="另一个案例")
    other_image = other.images.first()
    assert gz.delete(f"{API}/submissions/{draft.pk}/images/{other_image.pk}").status_code == 404
    assert CaseImage.objects.filter(pk=other_image.pk).exists()


@pytest.mark.parametrize("alt", [None, "", "   "])
def test_an_image_without_alt_is_a_chinese_400_naming_the_field(gz, draft, alt):
    body = {"file": png_upload("photo.png")} if alt is None else {"file": png_upload("photo.png"), "alt": alt}
    body = assert_chinese_error(gz.post(f"{API}/submissions/{draft.pk}/images", body), 400)
    assert list(body["errors"]) == ["alt"] and body["detail"].startswith("图片说明："), body
    assert "替代文本" in body["detail"]
    assert draft.images.count() == 1
