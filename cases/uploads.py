"""Checking uploaded files by their content (not their name or Content-Type) before storing them.

Images are also re-encoded (`clean_image`): the stored file is pixels only, with the EXIF
orientation applied and every piece of metadata (EXIF incl. GPS, XMP, comments) dropped.
`delete_on_failure` removes files stored by a write that then fails, so a failed upload
leaves neither a row nor a file.

Decoding is the expensive part (a 24-megapixel photo is ~100 MB of pixels while it is re-encoded):
it happens before the case is locked (`editing.add_image` locks only to write the rows), at most
`IMAGE_DECODE_CONCURRENCY` at a time per process (`decode_slot`; an upload that waits longer than
`IMAGE_DECODE_WAIT_SECONDS` is refused with "try again"), and never for more than
`WAGTAILIMAGES_MAX_IMAGE_PIXELS` pixels over all frames (24 megapixels: 6000×4000, more than a
case photo or a scanned A4 page at 300 dpi needs), checked from the header before decoding.

Documents are checked by structure, not only their first bytes: a PDF must end like one (a
truncated file is refused), an Office file must be an OOXML package of its kind without macros,
and a ZIP that would inflate far beyond its size (a zip bomb) or names paths outside itself is
refused. Only Pillow's JPEG, PNG, GIF and WebP decoders ever see an upload.
"""

from __future__ import annotations

import errno
import io
import logging
import math
import os
import posixpath
import threading
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, ImageSequence

from .errors import StorageFull
from .validation import clean_line, strip_bidi

logger = logging.getLogger(__name__)

# Magic numbers of the document types we accept, and the extension we store them under.
DOCUMENT_SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),  # docx, xlsx, pptx, odt are zip containers; refined below
]
# The content type of the main part of each OOXML kind we accept, in [Content_Types].xml.
OFFICE_TYPES = {
    b"officedocument.wordprocessingml.document.main+xml": "docx",
    b"officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    b"officedocument.presentationml.presentation.main+xml": "pptx",
}
CONTENT_TYPES = "[Content_Types].xml"
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
# A PDF ends with %%EOF (possibly followed by whitespace or a little junk); a cut-off one does not.
PDF_TAIL = 2048
# Zip bomb limits: what an honest 20 MB Office file never reaches.
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_UNCOMPRESSED = 300 * 1048576
ZIP_MAX_RATIO = 200  # per entry above 1 MB uncompressed: XML compresses ~10-30×, media not at all


def _size_check(f: UploadedFile, limit: int) -> None:
    if f.size is None or f.size == 0:
        raise ValidationError(_("文件是空的，请重新选择。"))
    if f.size > limit:
        raise ValidationError(
            _("文件过大（%(size).1f MB），不能超过 %(limit)d MB。")
            % {"size": math.ceil(f.size / 104857.6) / 10, "limit": limit // 1048576}  # 10.0001 MB shows as 10.1
        )


def _too_many_pixels() -> ValidationError:
    limit = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    return ValidationError(
        _("图片像素过多，不能超过 %(limit)s 万像素（例如 6000×4000）。请缩小图片尺寸后重新上传。")
        % {"limit": f"{limit / 10_000:g}"},
        code="too_many_pixels",
    )


_decode_lock = threading.Lock()
_decode_slots: dict[int, threading.BoundedSemaphore] = {}


@contextmanager
def decode_slot() -> Iterator[None]:
    """Hold one of the process's IMAGE_DECODE_CONCURRENCY decode slots for the block.

    Several large uploads at once would each take their ~100 MB (and a CPU) at the same time;
    past the bound they wait, and after IMAGE_DECODE_WAIT_SECONDS they are refused with a
    message to try again (the request is not held for ever)."""
    size = int(settings.CASEBOOK.get("IMAGE_DECODE_CONCURRENCY", 2))
    with _decode_lock:
        slots = _decode_slots.setdefault(size, threading.BoundedSemaphore(size))
    if not slots.acquire(timeout=float(settings.CASEBOOK.get("IMAGE_DECODE_WAIT_SECONDS", 30))):
        logger.warning("Image upload refused: %d images are being decoded already", size)
        raise ValidationError(_("服务器正在处理其他图片，请稍后重新上传。"), code="busy")
    try:
        yield
    finally:
        slots.release()


def check_image(f: UploadedFile) -> str:
    """The image's real format extension; raises ValidationError for anything else."""
    _size_check(f, settings.CASEBOOK["IMAGE_MAX_BYTES"])
    f.seek(0)
    fmt = None
    try:
        with PILImage.open(f, formats=list(IMAGE_FORMATS)) as img:
            fmt = img.format
            width, height = img.size
            frames = getattr(img, "n_frames", 1)
            img.verify()
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except Exception:
        if fmt is None:
            raise ValidationError(_("无法识别的图片文件，请上传 JPG、PNG、GIF 或 WebP 图片。")) from None
        raise ValidationError(_("图片文件已损坏或不完整，请重新导出后上传。")) from None
    finally:
        f.seek(0)
    if fmt not in IMAGE_FORMATS:
        raise ValidationError(_("不支持的图片格式，请上传 JPG、PNG、GIF 或 WebP 图片。"))
    if width * height * max(frames, 1) > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
        raise _too_many_pixels()
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
    with PILImage.open(f, formats=[fmt]) as img:
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
        with decode_slot():
            data = _reencode(f, fmt)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise ValidationError(_("图片文件已损坏或不完整，请重新导出后上传。")) from None
    finally:
        f.seek(0)
    return ContentFile(data, name=generated_name(ext)), ext


class StoredFiles(list):
    """The FieldFiles a block stores. For one appended before its save, also where the save will
    put it, if that path is free now: a save that fails half-way (a full disk) leaves a partial
    file there, which is then ours to delete."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def append(self, field_file) -> None:
        super().append(field_file)
        target = ""
        if field_file and field_file.name and not field_file._committed:
            name = field_file.field.generate_filename(field_file.instance, field_file.name)
            target = "" if field_file.storage.exists(name) else name
        self.targets.append(target)


# The disk or the quota is full: the upload is refused with a clear message (HTTP 507).
STORAGE_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


@contextmanager
def delete_on_failure() -> Iterator[list]:
    """Collect stored FieldFiles; if the block raises, delete them from storage and re-raise.

    A database rollback removes the rows but not the files they point to, and
    `transaction.on_commit` never fires on a rollback, so the cleanup is done here:

        with uploads.delete_on_failure() as stored, transaction.atomic():
            stored.append(image.file); image.save()
            ...

    A full disk becomes `StorageFull` (a Chinese message, no 500), after the cleanup.
    """
    stored = StoredFiles()
    try:
        yield stored
    except BaseException as exc:
        for field_file, target in zip(stored, stored.targets, strict=True):
            try:
                if field_file and field_file.name and field_file._committed:
                    field_file.storage.delete(field_file.name)
                elif target and field_file.storage.exists(target):
                    field_file.storage.delete(target)  # the partial file of a save that failed
            except Exception:  # keep the original error; log the leftover file
                logger.exception("Could not delete %s after a failed upload", target or getattr(field_file, "name", "?"))
        if isinstance(exc, OSError) and exc.errno in STORAGE_FULL_ERRNOS:
            logger.error("Upload refused, the media storage is full: %s", exc)
            raise StorageFull(_("服务器存储空间不足，文件未能保存。请稍后再试；如仍不行，请联系组织方。")) from exc
        raise


def check_document(f: UploadedFile) -> str:
    """The document's real type extension (pdf, docx, xlsx, pptx); raises for anything else."""
    _size_check(f, settings.CASEBOOK["DOCUMENT_MAX_BYTES"])
    f.seek(0)
    head = f.read(8)
    f.seek(0)
    kind = next((ext for magic, ext in DOCUMENT_SIGNATURES if head.startswith(magic)), None)
    try:
        if kind == "pdf":
            _check_pdf(f)
        elif kind == "zip":
            kind = _office_kind(f)
    finally:
        f.seek(0)
    if kind is None:
        raise ValidationError(_("不支持的文件类型，请上传 PDF、Word、Excel 或 PowerPoint 文件。"))
    return kind


def _check_pdf(f) -> None:
    f.seek(max(0, f.size - PDF_TAIL))
    if b"%%EOF" not in f.read(PDF_TAIL):
        raise ValidationError(_("PDF 文件已损坏或不完整，请重新导出后上传。"))


def _office_kind(f) -> str | None:
    """docx/xlsx/pptx by the package's main part; None for other ZIPs; raises for dangerous ones."""
    try:
        with zipfile.ZipFile(f) as zf:
            entries = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise ValidationError(_("文件已损坏或不完整，请重新保存后上传。")) from None
    if len(entries) > ZIP_MAX_ENTRIES:
        raise ValidationError(_("文件内部包含的部件过多（超过 %(n)d 个），请检查文件后重新上传。") % {"n": ZIP_MAX_ENTRIES})
    if sum(e.file_size for e in entries) > ZIP_MAX_UNCOMPRESSED or any(
        e.file_size > 1048576 and e.file_size > ZIP_MAX_RATIO * max(e.compress_size, 1) for e in entries
    ):
        raise ValidationError(_("文件解压后过大（疑似压缩炸弹），请检查文件后重新上传。"))
    names = {e.filename for e in entries}
    if any(n.startswith("/") or "\\" in n or ".." in posixpath.normpath(n).split("/") for n in names):
        raise ValidationError(_("文件内部含有异常路径，不能上传。"))
    types = b""
    if any(e.filename == CONTENT_TYPES and e.file_size <= 1048576 for e in entries):
        f.seek(0)
        with zipfile.ZipFile(f) as zf:
            types = zf.read(CONTENT_TYPES)
    if b"macroenabled" in types.lower() or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError(_("不能上传含有宏的 Office 文件，请另存为不含宏的 .docx、.xlsx 或 .pptx 后上传。"))
    return next((ext for main, ext in OFFICE_TYPES.items() if main in types), None)


def generated_name(ext: str) -> str:
    """Stored names are generated: no user-chosen path or name reaches the file system."""
    return f"{uuid.uuid4().hex}.{ext}"


def display_name(name: str) -> str:
    """A safe title from the user's file name (no directories, no control or direction
    characters), for labels only."""
    base = os.path.basename((name or "").replace("\\", "/"))
    return strip_bidi(clean_line(os.path.splitext(base)[0]))[:100].strip() or _("未命名文件")
