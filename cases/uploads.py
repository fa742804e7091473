"""Checking uploaded files by their content (not their name or Content-Type) before storing them."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image as PILImage

# Magic numbers of the document types we accept, and the extension we store them under.
DOCUMENT_SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),  # docx, xlsx, pptx, odt are zip containers; refined below
]
OFFICE_TYPES = {
    "word/": "docx",
    "xl/": "xlsx",
    "ppt/": "pptx",
}
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


def _size_check(f: UploadedFile, limit: int) -> None:
    if f.size is None or f.size == 0:
        raise ValidationError(_("文件是空的，请重新选择。"))
    if f.size > limit:
        raise ValidationError(
            _("文件过大（%(size).1f MB），不能超过 %(limit)d MB。")
            % {"size": f.size / 1048576, "limit": limit // 1048576}
        )


def check_image(f: UploadedFile) -> str:
    """The image's real format extension; raises ValidationError for anything else."""
    _size_check(f, settings.CASEBOOK["IMAGE_MAX_BYTES"])
    f.seek(0)
    try:
        with PILImage.open(f) as img:
            fmt = img.format
            width, height = img.size
            frames = getattr(img, "n_frames", 1)
            img.verify()
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ValidationError(_("图片像素过多，不能超过 4000 万像素。")) from None
    except Exception:
        raise ValidationError(_("无法识别的图片文件，请上传 JPG、PNG、GIF 或 WebP 图片。")) from None
    finally:
        f.seek(0)
    if fmt not in IMAGE_FORMATS:
        raise ValidationError(_("不支持的图片格式，请上传 JPG、PNG、GIF 或 WebP 图片。"))
    if width * height * max(frames, 1) > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
        raise ValidationError(_("图片像素过多，不能超过 4000 万像素。"))
    return IMAGE_FORMATS[fmt]


def check_document(f: UploadedFile) -> str:
    """The document's real type extension (pdf, docx, xlsx, pptx); raises for anything else."""
    _size_check(f, settings.CASEBOOK["DOCUMENT_MAX_BYTES"])
    f.seek(0)
    head = f.read(8)
    f.seek(0)
    kind = next((ext for magic, ext in DOCUMENT_SIGNATURES if head.startswith(magic)), None)
    if kind == "zip":
        import zipfile

        try:
            with zipfile.ZipFile(f) as zf:
                names = zf.namelist()
        except zipfile.BadZipFile:
            kind = None
        else:
            kind = next((ext for prefix, ext in OFFICE_TYPES.items() if any(n.startswith(prefix) for n in names)), None)
        f.seek(0)
    if kind is None:
        raise ValidationError(_("不支持的文件类型，请上传 PDF、Word、Excel 或 PowerPoint 文件。"))
    return kind


def generated_name(ext: str) -> str:
    """Stored names are generated: no user-chosen path or name reaches the file system."""
    return f"{uuid.uuid4().hex}.{ext}"


def display_name(name: str) -> str:
    """A safe title from the user's file name (no directories), for labels only."""
    base = os.path.basename((name or "").replace("\\", "/"))
    return os.path.splitext(base)[0][:100] or _("未命名文件")
