"""Wagtail's own image and document forms (the secretariat's 图片/文档 library), with the same
checks as case uploads (cases/uploads.py): images checked by content and re-encoded without
metadata, documents checked by structure, both stored under generated names.

Wired in settings as WAGTAILIMAGES_IMAGE_FORM_BASE and WAGTAILDOCS_DOCUMENT_FORM_BASE, so the
single and multiple upload views and the choosers all use them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from . import uploads


def _checked_first(to_python):
    """Wagtail's image field opens the upload with Willow to count its pixels; a decompression
    bomb or a cut-off file made that raise OSError (a 500). Our check runs first."""

    def checked(data):
        if isinstance(data, UploadedFile):
            uploads.check_image(data)
        try:
            return to_python(data)
        except (OSError, ValueError, SyntaxError, EOFError):
            raise ValidationError(_("图片文件已损坏或不完整，请重新导出后上传。")) from None

    return checked


class CheckedImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].to_python = _checked_first(self.fields["file"].to_python)

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if not isinstance(f, UploadedFile):  # editing without a new file keeps the stored one
            return f
        cleaned, _ext = uploads.clean_image(f)
        return cleaned


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        f = self.cleaned_data.get("file")
        if not isinstance(f, UploadedFile):
            return f
        try:
            ext = uploads.check_document(f)
        except ValidationError as refused:
            try:  # a picture in the document library is fine, if it really is one (re-encoded)
                return uploads.clean_image(f)[0]
            except ValidationError:
                raise refused from None
        f.name = uploads.generated_name(ext)
        return f
