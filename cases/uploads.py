"""Checking uploaded files by their content (not their name or Content-Type) before storing them.

Images are also re-encoded (`clean_image`): the stored file is pixels only, with the EXIF
orientation applied and every piece of metadata (EXIF incl. GPS, XMP, comments) dropped.
`delete_on_failure` removes files stored by a write that then fails, so a failed upload
leaves neither a row nor a file.
"""

from __future__ import annotations

import io
import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, ImageSequence

logger = logging.getLogger(__name__)

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


# Metadata kept when re-encoding: what the pixels need to look right, nothing about where or who.
_KEPT_INFO = ("transparency", "icc_profile")
_JPEG_MODES = {"RGB", "L", "CMYK"}


def _clean_frame(frame: PILImage.Image) -> PILImage.Image:
    kept = {k: frame.info[k] for k in _KEPT_INFO if k in frame.info}
    clean = frame.copy()
    clean.info = kept
    return clean


def _reencode(f, fmt: str) -> bytes:
    out = io.BytesIO()
    with PILImage.open(f) as img:
        icc = img.info.get("icc_profile")
        animated = fmt in {"GIF", "WEBP"} and getattr(img, "n_frames", 1) > 1
        if animated:
            frames, durations = [], []
            for frame in ImageSequence.Iterator(img):
                frames.append(_clean_frame(frame.convert("RGBA")))
                durations.append(int(frame.info.get("duration", 100) or 100))
            options = {"save_all": True, "append_images": frames[1:], "duration": durations,
                       "loop": int(img.info.get("loop", 0) or 0)}
            if fmt == "GIF":
                options["disposal"] = 2
            frames[0].save(out, fmt, **options)
            return out.getvalue()
        img.load()
        oriented = _clean_frame(ImageOps.exif_transpose(img) or img)
        options = {"icc_profile": icc} if icc else {}
        if fmt == "JPEG":
            if oriented.mode not in _JPEG_MODES:
                oriented = oriented.convert("RGB")
            oriented.save(out, "JPEG", quality=90, optimize=True, **options)
        elif fmt == "PNG":
            if "transparency" in oriented.info:
                options["transparency"] = oriented.info["transparency"]
            oriented.save(out, "PNG", optimize=True, **options)
        elif fmt == "GIF":
            if "transparency" in oriented.info:
                options["transparency"] = oriented.info["transparency"]
            options.pop("icc_profile", None)
            oriented.save(out, "GIF", **options)
        else:  # WEBP
            oriented.save(out, "WEBP", quality=90, method=4, **options)
    return out.getvalue()


def clean_image(f: UploadedFile) -> tuple[ContentFile, str]:
    """Check an image (`check_image`), then re-encode it: orientation applied, metadata gone.

    Returns the new file (under a generated name) and its extension.
    """
    ext = check_image(f)
    fmt = next(k for k, v in IMAGE_FORMATS.items() if v == ext)
    f.seek(0)
    try:
        data = _reencode(f, fmt)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ValidationError(_("图片像素过多，不能超过 4000 万像素。")) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise ValidationError(_("图片文件已损坏或不完整，请重新导出后上传。")) from None
    finally:
        f.seek(0)
    return ContentFile(data, name=generated_name(ext)), ext


@contextmanager
def delete_on_failure() -> Iterator[list]:
    """Collect stored FieldFiles; if the block raises, delete them from storage and re-raise.

    A database rollback removes the rows but not the files they point to, and
    `transaction.on_commit` never fires on a rollback, so the cleanup is done here:

        with uploads.delete_on_failure() as stored, transaction.atomic():
            image.save(); stored.append(image.file)
            ...
    """
    stored: list = []
    try:
        yield stored
    except BaseException:
        for field_file in stored:
            try:
                if field_file and field_file.name:
                    field_file.storage.delete(field_file.name)
            except Exception:  # keep the original error; log the leftover file
                logger.exception("Could not delete %s after a failed upload", getattr(field_file, "name", "?"))
        raise


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
