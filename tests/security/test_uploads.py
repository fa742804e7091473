"""Upload hardening: images re-encoded without EXIF/GPS, GIF frames counted, nothing left
behind by a failed upload (issue 8 §2, the parts in cases/uploads.py and cases/editing.py)."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cases import editing, uploads
from cases.models import CaseAttachment, CaseImage
from tests import factories
from tests.factories import case_in
from tests.files import pdf_upload

pytestmark = pytest.mark.django_db
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "CameraMaker"
    exif[0x0131] = "SecretSoftware"
    exif[GPS_IFD] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
    return exif


def jpeg_with_gps(size=(80, 40), orientation=6) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(
        buf, "JPEG", exif=exif_with_gps(orientation).tobytes(),
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">GPSLatitude 39,54N</x:xmpmeta>',
    )
    data = buf.getvalue()
    assert b"CameraMaker" in data and b"GPSLatitude" in data
    return SimpleUploadedFile("IMG_0001.jpg", data, content_type="image/jpeg")


def png_with_metadata() -> SimpleUploadedFile:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "拍摄于北京市海淀区某小区")
    buf = io.BytesIO()
    Image.new("RGBA", (30, 30), (10, 200, 10, 128)).save(buf, "PNG", pnginfo=info, exif=exif_with_gps().tobytes())
    return SimpleUploadedFile("shot.png", buf.getvalue(), content_type="image/png")


def gif(frames: int, size=(50, 50)) -> SimpleUploadedFile:
    images = [Image.new("P", size, i % 2) for i in range(frames)]  # alternating: Pillow keeps every frame
    for im in images:
        im.putpalette([0, 0, 0, 255, 255, 255] * 128)
    buf = io.BytesIO()
    images[0].save(buf, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return SimpleUploadedFile("anim.gif", buf.getvalue(), content_type="image/gif")


@pytest.fixture
def draft(campaign):
    case = case_in("draft", campaign=campaign)
    return case, factories.submitter(username="uploader")


def stored_bytes(case_image) -> bytes:
    with case_image.image.file.open("rb") as f:
        return f.read()


def media_files() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_jpeg_exif_and_gps_are_stripped_and_orientation_applied(draft):
    case, user = draft
    item = editing.add_image(case=case, by=user, file=jpeg_with_gps(size=(80, 40), orientation=6), alt="社区课堂")
    data = stored_bytes(item)
    for marker in (b"Exif", b"CameraMaker", b"SecretSoftware", b"GPSLatitude", b"xmpmeta"):
        assert marker not in data, marker
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG"
        assert not img.getexif() and GPS_IFD not in img.getexif()
        assert img.size == (40, 80)  # rotated as the camera meant; no orientation tag left to apply
    assert (item.image.width, item.image.height) == (40, 80)
    assert item.image.file.name.endswith(".jpg") and "IMG_0001" not in item.image.file.name


def test_png_text_and_exif_chunks_are_stripped(draft):
    case, user = draft
    item = editing.add_image(case=case, by=user, file=png_with_metadata(), alt="截图")
    data = stored_bytes(item)
    assert b"eXIf" not in data and b"tEXt" not in data and "海淀".encode() not in data
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "PNG" and img.mode == "RGBA" and img.getpixel((0, 0))[3] == 128


def test_webp_metadata_is_stripped(draft):
    case, user = draft
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(buf, "WEBP", exif=exif_with_gps().tobytes())
    assert b"EXIF" in buf.getvalue()
    item = editing.add_image(case=case, by=user, file=SimpleUploadedFile("a.webp", buf.getvalue()), alt="图")
    assert b"EXIF" not in stored_bytes(item) and b"CameraMaker" not in stored_bytes(item)


def test_gif_frames_count_toward_the_pixel_limit(draft, settings):
    case, user = draft
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 10_000  # 50×50 = 2,500 pixels a frame
    item = editing.add_image(case=case, by=user, file=gif(4), alt="四帧动图")  # 10,000: allowed
    with Image.open(io.BytesIO(stored_bytes(item))) as img:
        assert img.format == "GIF" and img.n_frames == 4
    with pytest.raises(ValidationError) as exc:
        editing.add_image(case=case, by=user, file=gif(5), alt="五帧动图")  # 12,500: refused
    assert "像素" in exc.value.message_dict["file"][0]


def test_the_default_limit_is_twenty_four_megapixels_over_all_frames():
    assert django_settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 24_000_000
    # 25 frames of 1000×1000: 25 megapixels in a few kilobytes of GIF.
    upload = gif(25, size=(1000, 1000))
    assert upload.size < 200_000
    with pytest.raises(ValidationError) as exc:
        uploads.check_image(upload)
    assert exc.value.messages == ["图片像素过多，不能超过 2400 万像素（例如 6000×4000）。请缩小图片尺寸后重新上传。"]
    uploads.check_image(gif(24, size=(1000, 1000)))  # exactly the limit: accepted


def test_a_disguised_file_is_not_an_image():
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 'x'; ?>" + b"\0" * 100, content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        uploads.clean_image(fake)
    assert "无法识别" in exc.value.messages[0]


def test_a_truncated_image_is_refused_cleanly():
    data = jpeg_with_gps().read()
    with pytest.raises(ValidationError):
        uploads.clean_image(SimpleUploadedFile("cut.jpg", data[: len(data) // 2]))


def test_a_failed_image_upload_leaves_no_row_and_no_file(draft, monkeypatch):
    case, user = draft
    before_files, before_images = media_files(), get_image_model().objects.count()

    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(CaseImage.objects, "create", explode)
    with pytest.raises(RuntimeError):
        editing.add_image(case=case, by=user, file=jpeg_with_gps(), alt="会失败")
    assert get_image_model().objects.count() == before_images
    assert media_files() == before_files


def test_a_failed_image_save_leaves_no_file_either(draft, monkeypatch):
    """The file is written by the model's save, before its INSERT; the INSERT fails here."""
    case, user = draft
    before_files = media_files()
    image_model = get_image_model()
    real_save = image_model.save

    def save_then_fail(self, *args, **kwargs):
        for field in self._meta.concrete_fields:
            if field.name == "file":
                field.pre_save(self, True)  # the file is stored ...
        raise RuntimeError("INSERT failed")  # ... and the row never is

    monkeypatch.setattr(image_model, "save", save_then_fail)
    with pytest.raises(RuntimeError):
        editing.add_image(case=case, by=user, file=jpeg_with_gps(), alt="会失败")
    monkeypatch.setattr(image_model, "save", real_save)
    assert media_files() == before_files


def test_a_failed_attachment_upload_leaves_no_row_and_no_file(draft, monkeypatch):
    case, user = draft
    before_files, before_docs = media_files(), get_document_model().objects.count()

    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(CaseAttachment.objects, "create", explode)
    with pytest.raises(RuntimeError):
        editing.add_attachment(case=case, by=user, file=pdf_upload(), title="会失败")
    assert get_document_model().objects.count() == before_docs
    assert media_files() == before_files


def test_a_refused_upload_over_the_count_limit_leaves_nothing(draft):
    case, user = draft
    for i in range(20 - case.images.count()):
        editing.add_image(case=case, by=user, file=png_with_metadata(), alt=f"图{i}")
    before = media_files()
    with pytest.raises(ValidationError):
        editing.add_image(case=case, by=user, file=png_with_metadata(), alt="第 21 张")
    assert media_files() == before


def test_a_successful_upload_keeps_its_file(draft):
    case, user = draft
    before = media_files()
    item = editing.add_image(case=case, by=user, file=jpeg_with_gps(), alt="保留")
    assert media_files() - before == {item.image.file.name}


def test_wagtails_document_url_does_not_bypass_the_permission_check(draft):
    """/documents/<id>/<name> (Wagtail's serve view) answers like /files/attachments/<pk>/."""
    from django.test import Client

    case, user = draft
    att = editing.add_attachment(case=case, by=user, file=pdf_upload(), title="推荐函")
    url = att.document.url
    assert url.startswith("/documents/")
    assert Client().get(url, follow=True).status_code == 404  # a draft's file: not for the public
    owner = Client()
    owner.force_login(user)
    response = owner.get(url, follow=True)
    assert response.redirect_chain == [(f"/files/attachments/{att.pk}/", 302)]
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
