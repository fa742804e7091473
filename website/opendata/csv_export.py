"""/cases.csv: the library's current results, every page, as a spreadsheet people can open.

UTF-8 with a byte-order mark (so Excel opens Chinese correctly), Chinese headers, taxonomy
labels rather than codes, the case page's address. Published cases only, read through the
same search service and filters as /cases/; no contact details; every text cell is passed
through `safe_cell`, so nothing can run as a spreadsheet formula. Streamed page by page
(100 cases per search call), at most `MAX_ROWS` rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from urllib.parse import quote

from django.db.models import Prefetch
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.exports import safe_cell
from cases.models import Case, CaseIndicator
from cases.permissions import PUBLIC_STATES
from cases.taxonomies import KeyGroup, OrganisationType, Scenario, SpecialProject, TaskArea, label_of
from search.facets import check_codes
from search.params import query_from_params
from search.query import MAX_DEPTH, MAX_PAGE_SIZE, QueryError
from search.service import search_cases

from ..http import cache_public

MAX_ROWS = MAX_DEPTH  # 10,000: as deep as the search goes
BATCH = MAX_PAGE_SIZE
BOM = "\ufeff"

HEADERS = [
    _("案例编号"), _("案例名称"), _("案例摘要"), _("省份"), _("所属地区"), _("申报单位"), _("单位类型"),
    _("征集活动"), _("年度"), _("征集方向"), _("入选等级"), _("应用场景"), _("主要任务"), _("重点群体"),
    _("重点工程"), _("实施开始"), _("实施结束"), _("成效指标"), _("发布日期"), _("案例网址"),
]


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer inside a generator."""

    def write(self, value: str) -> str:
        return value


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def _indicators(case: Case) -> str:
    return "；".join(f"{i.name} {_number(i.value)}{(' ' + i.unit) if i.unit else ''}" for i in case.indicators.all())


def _row(case: Case, base: str) -> list:
    return [
        case.pk,
        case.title,
        case.summary,
        case.province.name,
        case.region.full_name,
        case.organisation,
        label_of(OrganisationType, case.organisation_type) if case.organisation_type else "",
        case.campaign.title,
        case.campaign.year,
        case.category.title if case.category else "",
        case.tier.title if case.tier else "",
        "、".join(label_of(Scenario, c) for c in case.scenarios),
        label_of(TaskArea, case.task_area) if case.task_area else "",
        "、".join(label_of(KeyGroup, c) for c in case.key_groups),
        label_of(SpecialProject, case.special_project) if case.special_project else "",
        case.period_start.isoformat() if case.period_start else "",
        case.period_end.isoformat() if case.period_end else "",
        _indicators(case),
        timezone.localtime(case.published_at).date().isoformat() if case.published_at else "",
        base + reverse("website:case", args=[case.pk]),
    ]


def _cases(ids: list[int]) -> list[Case]:
    """Published cases of one batch, in the search's order (2 queries)."""
    found = {
        c.pk: c
        for c in Case.objects.filter(pk__in=ids, status__in=PUBLIC_STATES)
        .select_related("region", "region__province", "province", "campaign", "tier", "category")
        .prefetch_related(Prefetch("indicators", queryset=CaseIndicator.objects.order_by("sort_order", "pk")))
    }
    return [found[i] for i in ids if i in found]


def rows(query, base: str) -> Iterator[list]:
    """Every result of `query`, batch by batch, at most MAX_ROWS."""
    page, sent = 1, 0
    while sent < MAX_ROWS:
        results = search_cases(query.with_page(page, BATCH))
        for case in _cases(results.case_ids):
            if sent >= MAX_ROWS:
                return
            yield _row(case, base)
            sent += 1
        if page * BATCH >= min(results.total, MAX_ROWS) or not results.hits:
            return
        page += 1


def stream(query, base: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(HEADERS)
    for row in rows(query, base):
        yield writer.writerow([safe_cell(v) for v in row])


def content_disposition(filename: str, fallback: str, *, inline: bool = False) -> str:
    """The Chinese file name in UTF-8 (RFC 5987/6266), after an ASCII fallback for old clients."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


@require_GET
def cases_csv(request):
    try:
        query = query_from_params(request.GET, page_size=BATCH, paged=False)
        check_codes(query)  # a typo in a filter is a 400, not a broken download
    except QueryError as exc:
        response = HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
        return cache_public(request, response)
    base = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(stream(query, base), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = content_disposition(f"典型案例-{stamp}.csv", f"casebook-cases-{stamp}.csv")
    return cache_public(request, response)
