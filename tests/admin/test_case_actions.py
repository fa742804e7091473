"""Workflow actions and file uploads through the admin pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cases.models import Case, CaseAttachment, CaseImage
from tests import factories
from tests.factories import case_in
from tests.files import pdf_upload, png_upload
from tests.workflow_paths import complete_draft

pytestmark = pytest.mark.django_db


def test_submit_a_complete_case_via_the_action_view(as_user, campaign):
    case = complete_draft(campaign=campaign, region_code="440100")
    submitter = factories.submitter("440100", username="sub-440100")
    client = as_user(submitter)
    url = reverse("cases:transition", args=[case.pk, "submit"])
    page = client.get(url)
    assert page.status_code == 200
    assert "必填内容已经完整" in page.content.decode()
    response = client.post(url, {"expected_status": "draft"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:inspect", args=[case.pk])
    case.refresh_from_db()
    assert case.status == "submitted"
    assert "已完成“提交”" in response.content.decode()


def test_submit_incomplete_case_shows_why(as_user, submitter, campaign):
    from cases import workflow

    case = workflow.create_draft(by=submitter, campaign=campaign, title="未完成", region=factories.region("440100"))
    response = as_user(submitter).post(reverse("cases:transition", args=[case.pk, "submit"]), {})
    assert response.status_code == 200
    assert "案例内容尚不完整" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "draft"


def test_reason_required_for_return(as_user, campaign):
    case = case_in("submitted", campaign=campaign, region_code="440300")
    recommender = factories.recommender("440000", username="rec-x")
    client = as_user(recommender)
    url = reverse("cases:transition", args=[case.pk, "return_for_revision"])
    response = client.post(url, {"reason": "", "expected_status": "submitted"})
    assert response.status_code == 200 and "请填写理由" in response.content.decode()
    response = client.post(url, {"reason": "请补充成效数据", "expected_status": "submitted"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "returned"
    html = client.get(reverse("cases:inspect", args=[case.pk])).content.decode()
    assert "请补充成效数据" in html


def test_stale_action_gets_a_clear_message(as_user, campaign):
    case = case_in("submitted", campaign=campaign, region_code="440300")
    submitter = factories.submitter("440300", username="sub-440300")
    response = as_user(submitter).post(
        reverse("cases:transition", args=[case.pk, "submit"]), {"expected_status": "draft"}, follow=True
    )
    assert "不能执行“提交”" in response.content.decode()


def test_upload_image_and_attachment_and_delete(as_user, submitter, campaign):
    from cases import workflow

    case = workflow.create_draft(by=submitter, campaign=campaign, title="上传测试", region=factories.region("440100"))
    client = as_user(submitter)
    url = reverse("cases:files", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"operation": "upload-image", "image-file": png_upload(), "image-alt": "志愿者指导老人"})
    assert response.status_code == 302
    response = client.post(url, {
        "operation": "upload-attachment", "attachment-file": pdf_upload(), "attachment-title": "培训台账",
        "attachment-kind": "evidence", "attachment-public": "on",
    })
    assert response.status_code == 302
    image = CaseImage.objects.get(case=case)
    attachment = CaseAttachment.objects.get(case=case)
    assert image.is_cover and image.alt == "志愿者指导老人"
    assert attachment.public and attachment.title == "培训台账"
    html = client.get(url).content.decode()
    assert reverse("case_files:image", args=[image.pk, "fill-320x180"]) in html
    assert reverse("case_files:attachment", args=[attachment.pk]) in html
    assert client.get(reverse("case_files:image", args=[image.pk, "fill-320x180"])).status_code == 200
    # The edit page's files tab lists them too.
    edit = client.get(reverse("cases:edit", args=[case.pk])).content.decode()
    assert reverse("case_files:image", args=[image.pk, "fill-320x180"]) in edit

    client.post(url, {"operation": "delete-image", "item": image.pk})
    client.post(url, {"operation": "delete-attachment", "item": attachment.pk})
    assert not CaseImage.objects.filter(case=case).exists()
    assert not CaseAttachment.objects.filter(case=case).exists()


def test_wrong_file_types_are_refused_in_chinese_and_nothing_saved(as_user, submitter, campaign):
    from cases import workflow

    case = workflow.create_draft(by=submitter, campaign=campaign, title="上传测试", region=factories.region("440100"))
    client = as_user(submitter)
    url = reverse("cases:files", args=[case.pk])
    fake_png = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client.post(url, {"operation": "upload-image", "image-file": fake_png, "image-alt": "说明文字"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "无法识别的图片文件" in html
    assert 'value="说明文字"' in html  # the typed alt text is kept
    fake_pdf = SimpleUploadedFile("evidence.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post(url, {"operation": "upload-attachment", "attachment-file": fake_pdf, "attachment-kind": "evidence"})
    assert "不支持的文件类型" in response.content.decode()
    response = client.post(url, {"operation": "upload-image", "image-file": png_upload(), "image-alt": ""})
    assert "请填写图片说明" in response.content.decode()
    assert not CaseImage.objects.exists() and not CaseAttachment.objects.exists()
    assert not get_image_model().objects.exists() and not get_document_model().objects.exists()


def test_files_page_refuses_submitted_cases(as_user, campaign):
    case = case_in("submitted", campaign=campaign, region_code="440100")
    submitter = factories.submitter("440100", username="sub-440100")
    response = as_user(submitter).post(
        reverse("cases:files", args=[case.pk]),
        {"operation": "upload-image", "image-file": png_upload(), "image-alt": "x"},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).images.count() == 1


def test_save_and_go_to_files_or_submit(as_user, submitter, campaign):
    from tests.admin.helpers import case_form_data

    client = as_user(submitter)
    data = case_form_data(campaign=campaign, region_code="440100", **{"action-files": "1"})
    response = client.post(reverse("cases:add"), data)
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:files", args=[case.pk])
