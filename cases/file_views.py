"""Case files are served only through these views, after a permission check.

The media directory is never exposed by the web server (see README, deployment).
"""

import mimetypes
import re

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from audit.decorators import audited_download

from . import permissions
from .models import CaseAttachment, CaseImage
from .printing import application_pdf

# Rendition specs the site and admin use; anything else is refused (no rendition flooding).
ALLOWED_SPECS = re.compile(r"^(original|max-(400x400|800x600|1200x900|1600x1200)|fill-(320x180|640x360|960x540))$")


@require_GET
@audited_download("cases.caseattachment")
def attachment(request, pk: int):
    att = get_object_or_404(CaseAttachment.objects.select_related("case", "document"), pk=pk)
    if not permissions.can_view_attachment(request.user, att):
        raise Http404
    doc = att.document
    content_type = mimetypes.guess_type(doc.file.name)[0] or "application/octet-stream"
    response = FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store" if att.case.status != "published" else "public, max-age=3600"
    return response


@require_GET
def image(request, pk: int, spec: str):
    img = get_object_or_404(CaseImage.objects.select_related("case", "image"), pk=pk)
    if not ALLOWED_SPECS.match(spec) or not permissions.can_view_image(request.user, img):
        raise Http404
    if spec == "original":
        file = img.image.file
    else:
        file = img.image.get_rendition(spec).file
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400" if img.case.status == "published" else "private, no-store"
    return response


@require_GET
@audited_download("cases.case.application")
def application(request, pk: int):
    """The printable 申报书; invisible cases are missing, visible-but-not-yours are missing too."""
    case = permissions.visible_cases(request.user).filter(pk=pk).select_related("campaign", "region", "category").first()
    if case is None or not permissions.can_print_application(request.user, case):
        raise Http404
    response = HttpResponse(application_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="application-{case.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
