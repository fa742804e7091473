"""Views of the open data: /stats/ and a campaign's compilation PDF.

The CSV, the feed and the sitemap have their own modules (`csv_export`, `feeds`, `sitemaps`).
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
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


@require_GET
def compilation_pdf(request, slug: str):
    """The campaign's 典型案例汇编.

    Serves the last built file, even while a newer build is pending (it then lacks only the
    newest cases; a file that still shows a revoked case is withdrawn at once). Without a
    file: 404 with a short page saying the book is being prepared (or that nothing is
    published yet). A 404 rather than a 200 page keeps download tools from saving HTML as
    a .pdf, and a 503 would tell monitors the site is down.
    """
    campaign = selectors.public_campaign(slug)
    if campaign is None:
        raise Http404
    published = Case.objects.filter(campaign=campaign, status__in=PUBLIC_STATES).exists()
    compilation = compilation_tasks.ensure_current(campaign) if published else None
    if compilation is None or not compilation.has_file:
        context = {
            "campaign": campaign,
            "published": published,
            "failed": compilation is not None and compilation.state == CompilationState.FAILED,
        }
        return no_store(render(request, "opendata/compilation_pending.html", context, status=404))
    response = FileResponse(compilation.file.open("rb"), content_type="application/pdf")
    filename = f"{campaign.title}典型案例汇编.pdf"
    response["Content-Disposition"] = content_disposition(filename, f"{campaign.slug}-compilation.pdf", inline=True)
    response["ETag"] = f'"{compilation.fingerprint[:32]}"'
    if compilation.built_at:
        response["Last-Modified"] = http_date(compilation.built_at.timestamp())
    response["X-Compilation-Status"] = compilation.state
    response = cache_public(request, response)
    if compilation.state != CompilationState.READY:
        patch_cache_control(response, max_age=60)
    return response
