"""Views of the open data: /stats/ and a campaign's compilation PDF.

The CSV, the feed and the sitemap have their own modules (`csv_export`, `feeds`, `sitemaps`).
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from cases.models import Case
from cases.permissions import PUBLIC_STATES

from .. import selectors, stats
from ..compilation import tasks as compilation_tasks
from ..compilation.models import CompilationState
from ..http import cache_public, no_store
from ..templatetags.website_tags import site_operator
from .csv_export import content_disposition
from .metadata import dataset_json_ld


@require_GET
def stats_page(request):
    data = stats.collect()
    context = {
        "stats": data,
        "dataset": dataset_json_ld(request, case_count=data.cases, operator=site_operator(), modified=data.latest),
    }
    return cache_public(request, render(request, "opendata/stats.html", context))


# How long the "being made" page asks a visitor (and a download tool) to wait before retrying.
COMPILATION_RETRY_SECONDS = 120


@require_GET
def compilation_pdf(request, slug: str):
    """The campaign's 典型案例汇编: the last built book, never built in this request.

    While a newer book is pending (after a publish, a revoke or a correction) the last one is
    served, briefly cached, its date on its cover and in `Last-Modified`. Without any book yet:
    503 with `Retry-After` and a page saying it is being made (a 200 page would be saved as a
    .pdf by download tools; no automatic refresh, WCAG 2.2.1: the page offers a link). Nothing
    published: 404. The build itself runs in the background (website/compilation/tasks.py).
    """
    campaign = selectors.public_campaign(slug)
    if campaign is None:
        raise Http404
    published = Case.objects.filter(campaign=campaign, status__in=PUBLIC_STATES).exists()
    compilation = compilation_tasks.for_download(campaign) if published else None
    if compilation is None or not compilation.has_file:
        context = {
            "campaign": campaign,
            "published": published,
            "failed": compilation is not None and compilation.state == CompilationState.FAILED,
            "retry_minutes": COMPILATION_RETRY_SECONDS // 60,
        }
        response = render(request, "opendata/compilation_pending.html", context, status=503 if published else 404)
        if published:
            response["Retry-After"] = str(COMPILATION_RETRY_SECONDS)
        return no_store(response)
    response = FileResponse(compilation.file.open("rb"), content_type="application/pdf")
    day = timezone.localtime(compilation.built_at).strftime("%Y%m%d") if compilation.built_at else ""
    filename = f"{campaign.title}典型案例汇编{day}.pdf"
    response["Content-Disposition"] = content_disposition(filename, f"{campaign.slug}-compilation-{day}.pdf", inline=True)
    response["ETag"] = f'"{compilation.fingerprint[:32]}"'
    if compilation.built_at:
        response["Last-Modified"] = http_date(compilation.built_at.timestamp())
    response["X-Compilation-Status"] = compilation.state
    response = cache_public(request, response)
    if compilation.state != CompilationState.READY:
        patch_cache_control(response, max_age=60)
    return response
