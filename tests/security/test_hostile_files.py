"""Hostile uploads through the real entry points (issue 8 §2): the admin's file page, the API's
multipart endpoints and the public objection form. Each is refused with a Chinese message and
a 400 (the API) or the form shown again with the message (the admin, as Wagtail's forms do),
never a 500, and leaves neither a row nor a file; what is accepted is neutralised.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cases import editing
from cases.models import CaseAttachment, CaseImage, Objection
from tests import factories
from tests.api.conftest import API, assert_chinese_error, sign_in
from tests.files import MINIMAL_PDF, pdf_upload

from .hostile import files as hostile

pytestmark = pytest.mark.django_db
GENERATED = re.compile(r"(documents|original_images)/[0-9a-f]{32}\.(pdf|docx|xlsx|pptx|jpg|png|gif|webp)")


def media_files() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def snapshot() -> tuple:
    return (media_files(), get_image_model().objects.count(), get_document_model().objects.count(),
            CaseImage.objects.count(), CaseAttachment.objects.count(), Objection.objects.count())


@pytest.fixture
def draft(campaign):
    return factories.case_in("draft", region_code="440100", campaign=campaign)


@pytest.fixture
def api():
    return sign_in(factories.submitter("440100", username="sub-440100"))


@pytest.fixture
def admin_client(client, draft):  # after the draft: its factory may set the user's password again
    client.force_login(factories.submitter("440100", username="sub-440100"))
    return client


def api_upload(api, case, endpoint: str, upload, **fields):
    data = {"file": upload, **({"alt": "现场照片"} if endpoint == "images" else {}), **fields}
    return api.post(f"{API}/submissions/{case.pk}/{endpoint}", data)


def admin_upload(client, case, endpoint: str, upload, **fields):
    if endpoint == "images":
        data = {"operation": "upload-image", "image-file": upload, "image-alt": "现场照片"}
    else:
        data = {"operation": "upload-attachment", "attachment-file": upload, "attachment-kind": "evidence"}
    data.update(fields)
    return client.post(reverse("cases:files", args=[case.pk]), data)


def assert_api_refused(response, *words: str) -> str:
    body = assert_chinese_error(response, 400)
    message = " ".join(body["errors"]["file"])
    for word in words:
        assert word in message, message
    return message


def assert_admin_refused(response, *words: str) -> None:
    assert response.status_code == 200, response.status_code  # the form again, with the reason
    html = response.content.decode()
    assert "上传未成功" in html
    for word in words:
        assert word in html, word


# --- refused: the API ---------------------------------------------------------------------------

REFUSED_IMAGES = {
    **{name: (build, "无法识别") for name, build in hostile.DISGUISED_IMAGES.items()},
    "png-bomb": (lambda: hostile.png_claiming(100_000, 100_000), "像素过多"),
    "png-48-megapixels": (lambda: hostile.png_claiming(8000, 6000), "像素过多"),
    "gif-bomb": (lambda: hostile.gif_claiming(65535, 65535), "像素过多"),
    "gif-401-frames": (lambda: hostile.gif_frames(401, (316, 316)), "像素过多"),  # 40.05 megapixels in all
    "truncated-png": (hostile.truncated_png, "损坏"),
    "empty": (lambda: hostile.upload("empty.png", b"", "image/png"), "空"),
}
REFUSED_DOCUMENTS = {
    **{name: (build, "不支持的文件类型") for name, build in hostile.DISGUISED_DOCUMENTS.items()},
    "truncated-pdf": (hostile.truncated_pdf, "不完整"),
    "truncated-docx": (hostile.truncated_docx, "不完整"),
    "macro-docx": (hostile.docm_disguised, "宏"),
    "zip-bomb": (hostile.zip_bomb_docx, "压缩炸弹"),
    "zip-many-entries": (hostile.zip_many_entries, "过多"),
    "zip-traversal": (hostile.zip_traversal, "异常路径"),
}


@pytest.mark.parametrize("name", REFUSED_IMAGES)
def test_hostile_images_are_refused_by_the_api(api, draft, name):
    build, word = REFUSED_IMAGES[name]
    before = snapshot()
    assert_api_refused(api_upload(api, draft, "images", build()), word)
    assert snapshot() == before


@pytest.mark.parametrize("name", REFUSED_DOCUMENTS)
def test_hostile_documents_are_refused_by_the_api(api, draft, name):
    build, word = REFUSED_DOCUMENTS[name]
    before = snapshot()
    assert_api_refused(api_upload(api, draft, "attachments", build()), word)
    assert snapshot() == before


def test_files_just_over_the_limits_are_refused_with_their_size(api, draft):
    before = snapshot()
    image = hostile.oversized("image", django_settings.CASEBOOK["IMAGE_MAX_BYTES"])
    assert_api_refused(api_upload(api, draft, "images", image), "10.1 MB", "不能超过 10 MB")
    document = hostile.oversized("document", django_settings.CASEBOOK["DOCUMENT_MAX_BYTES"])
    assert_api_refused(api_upload(api, draft, "attachments", document), "20.1 MB", "不能超过 20 MB")
    assert snapshot() == before
    assert django_settings.CASEBOOK["IMAGE_MAX_BYTES"] == 10 * hostile.MB
    assert django_settings.CASEBOOK["DOCUMENT_MAX_BYTES"] == 20 * hostile.MB


# --- refused: the admin ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["html.jpg", "svg.png", "png-bomb", "gif-401-frames", "truncated-png"])
def test_hostile_images_are_refused_by_the_admin(admin_client, draft, name):
    build, word = REFUSED_IMAGES[name]
    before = snapshot()
    assert_admin_refused(admin_upload(admin_client, draft, "images", build()), word)
    assert snapshot() == before


@pytest.mark.parametrize("name", ["html.pdf", "exe.docx", "zip.docx", "macro-docx", "zip-bomb", "truncated-pdf"])
def test_hostile_documents_are_refused_by_the_admin(admin_client, draft, name):
    build, word = REFUSED_DOCUMENTS[name]
    before = snapshot()
    assert_admin_refused(admin_upload(admin_client, draft, "attachments", build()), word)
    assert snapshot() == before


def test_an_oversized_image_is_refused_by_the_admin(admin_client, draft):
    before = snapshot()
    image = hostile.oversized("image", django_settings.CASEBOOK["IMAGE_MAX_BYTES"])
    assert_admin_refused(admin_upload(admin_client, draft, "images", image), "不能超过 10 MB")
    assert snapshot() == before


# --- accepted, neutralised ------------------------------------------------------------------------------

@pytest.mark.parametrize("build", [hostile.jpeg_with_trailing_html, hostile.gif_with_script_comment])
def test_image_polyglots_are_re_encoded_without_their_payload(api, draft, build):
    response = api_upload(api, draft, "images", build())
    assert response.status_code == 201, response.content
    item = CaseImage.objects.get(pk=response.json()["id"])
    with item.image.file.open("rb") as f:
        stored = f.read()
    for marker in hostile.POLYGLOT_MARKERS:
        assert marker not in stored
    assert GENERATED.fullmatch(item.image.file.name), item.image.file.name


def test_a_pdf_polyglot_is_only_ever_downloaded_never_rendered(api, admin_client, draft):
    response = api_upload(api, draft, "attachments", hostile.pdf_with_html())
    assert response.status_code == 201, response.content
    download = admin_client.get(response.json()["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_real_docx_is_accepted(api, draft):
    response = api_upload(api, draft, "attachments", hostile.docx())
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "台账"
    assert CaseAttachment.objects.get(pk=response.json()["id"]).document.file.name.endswith(".docx")


@pytest.mark.parametrize("name", hostile.ODD_NAMES)
def test_odd_file_names_never_reach_the_disk_or_the_headers(api, admin_client, draft, name):
    upload = pdf_upload()
    upload.name = name
    response = api_upload(api, draft, "attachments", upload)
    assert response.status_code == 201, response.content
    attachment = CaseAttachment.objects.get(pk=response.json()["id"])
    stored = attachment.document.file.name
    assert GENERATED.fullmatch(stored), stored  # a generated name in the documents folder
    title = attachment.title
    assert title and len(title) <= 100
    assert not re.search(r"[\x00-\x1f\u202a-\u202e/\\]", title), title
    download = admin_client.get(response.json()["url"])
    disposition = download["Content-Disposition"]
    assert disposition == f'attachment; filename="{Path(stored).name}"'  # nothing of the user's name


def test_a_chinese_file_name_becomes_the_title(api, draft):
    upload = pdf_upload("推荐函（盖章）.pdf")
    response = api_upload(api, draft, "attachments", upload, kind="recommendation_letter")
    assert response.status_code == 201 and response.json()["title"] == "推荐函（盖章）"


def test_an_objections_hostile_evidence_is_refused_and_leaves_nothing(client, campaign):
    from tests.website.conftest import committed

    noticed = committed("in_notice", campaign=campaign, region_code="440100")
    valid = {"name": "张三", "phone": "13912345678", "email": "zhangsan@example.cn",
             "reason": "该案例所称培训人次与当地公开报道的数据明显不符，请予核实。", "consent": "on"}
    for build in (hostile.DISGUISED_DOCUMENTS["html.pdf"], hostile.zip_bomb_docx, hostile.truncated_pdf):
        before = snapshot()
        response = client.post(f"/notices/{noticed.pk}/", {**valid, "evidence": build()})
        assert response.status_code == 400, response.status_code
        html = response.content.decode()
        assert "不支持的文件类型" in html or "压缩炸弹" in html or "不完整" in html
        assert snapshot() == before


def test_a_failed_objection_leaves_no_evidence_file(campaign, monkeypatch):
    from cases import notice
    from tests.website.conftest import committed

    noticed = committed("in_notice", campaign=campaign, region_code="440100")
    before = snapshot()

    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Objection.objects, "create", explode)
    with pytest.raises(RuntimeError):
        notice.submit_objection(case_id=noticed.pk, name="张三", phone="13912345678", email="z@example.cn",
                                reason="该案例所称培训人次与公开报道不符，请核实。", evidence=pdf_upload())
    assert snapshot() == before


def test_the_service_refuses_before_touching_the_case(draft):
    """add_attachment checks the bytes first: a refused file does not even lock the case."""
    user = factories.submitter("440100", username="sub-440100")
    with pytest.raises(Exception) as exc:
        editing.add_attachment(case=draft, by=user, file=hostile.DISGUISED_DOCUMENTS["exe.pdf"]())
    assert "不支持的文件类型" in str(exc.value)


# --- Wagtail's own image and document libraries (the secretariat) ---------------------------------

@pytest.fixture
def staff_client(client):
    client.force_login(factories.secretariat(username="sec-library"))
    return client


def test_the_document_library_checks_by_content_and_generates_names(staff_client):
    before = snapshot()
    response = staff_client.post(reverse("wagtaildocs:add"), {
        "title": "伪装的报告", "file": hostile.DISGUISED_DOCUMENTS["html.pdf"](), "collection": "1"})
    assert response.status_code == 200 and "不支持的文件类型" in response.content.decode()
    assert snapshot() == before
    response = staff_client.post(reverse("wagtaildocs:add"), {
        "title": "报告", "file": hostile.upload("../../etc/报告.pdf", MINIMAL_PDF, "application/pdf"),
        "collection": "1"})
    assert response.status_code == 302
    assert GENERATED.fullmatch(get_document_model().objects.get(title="报告").file.name)


def test_the_image_library_re_encodes_and_refuses_bombs(staff_client):
    before = snapshot()
    response = staff_client.post(reverse("wagtailimages:add"), {
        "title": "炸弹", "file": hostile.png_claiming(8000, 6000), "collection": "1"})
    assert response.status_code == 200 and "像素" in response.content.decode()
    assert snapshot() == before
    response = staff_client.post(reverse("wagtailimages:add"), {
        "title": "海报", "file": hostile.jpeg_with_trailing_html(), "collection": "1"})
    assert response.status_code == 302, response.content.decode()[:500]
    image = get_image_model().objects.get(title="海报")
    assert GENERATED.fullmatch(image.file.name) and (image.width, image.height) == (32, 32)
    with image.file.open("rb") as f:
        assert b"<script" not in f.read()


def test_the_multiple_upload_view_uses_the_same_checks(staff_client):
    before = snapshot()
    response = staff_client.post(reverse("wagtaildocs:add_multiple"), {"files[]": hostile.zip_bomb_docx()},
                                 headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    assert response.json()["success"] is False and "压缩炸弹" in json.dumps(response.json(), ensure_ascii=False)
    assert snapshot() == before


def test_labels_lose_control_characters_and_refuse_direction_overrides(api, draft):
    response = api_upload(api, draft, "attachments", pdf_upload(), title="培训\n台账\x0b2025")
    assert response.status_code == 201 and response.json()["title"] == "培训 台账 2025"
    before = snapshot()
    body = assert_chinese_error(api_upload(api, draft, "attachments", pdf_upload(), title="申报材料\u202efdp.exe"), 400)
    assert "改变文字方向" in json.dumps(body, ensure_ascii=False)
    body = assert_chinese_error(api_upload(api, draft, "images", hostile.jpeg_with_trailing_html(), alt="图\u202e片"), 400)
    assert "改变文字方向" in json.dumps(body, ensure_ascii=False)
    assert snapshot() == before
