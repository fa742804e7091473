"""The library (/cases/): the search box, the facets, one page of results, the homophone
correction and, when nothing is found, popular topics. The query is read by
`search.params.query_from_params` and answered by `search.service.search_cases`."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cases.taxonomies import KeyGroup, Scenario, label_of
from search.facets import labels as facet_labels
from search.params import query_from_params
from search.query import MAX_QUERY_LENGTH, QueryError, SearchQuery
from search.service import search_cases

from . import selectors
from .http import cache_public
from .paging import page_links as _page_links
from .paging import requested_page

PAGE_SIZE = 20
# Facet groups of the library, in the order shown (API dimension names).
FACETS = (
    ("campaign", gettext_lazy("征集活动")),
    ("year", gettext_lazy("年度")),
    ("province", gettext_lazy("省份")),
    ("scenario", gettext_lazy("应用场景")),
    ("task", gettext_lazy("主要任务")),
    ("group", gettext_lazy("重点群体")),
    ("tier", gettext_lazy("入选等级")),
)
FILTER_KEYS = tuple(key for key, _label in FACETS)
# Topics offered when a search finds nothing (always have cases in a real library).
POPULAR_WORDS = ("老年人", "智能手机", "乡村", "数字技能", "志愿者", "网络安全")


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


def _facet_groups(results, query: SearchQuery | None) -> list[dict]:
    groups = []
    for key, title in FACETS:
        selected = [str(v) for v in getattr(query, key, ())] if query else []
        options = [
            FacetOption(str(f.value), f.label, f.count, str(f.value) in selected)
            for f in (results.facets.get(key, []) if results else [])
        ]
        missing = [v for v in selected if v not in {o.value for o in options}]
        if missing:
            names = facet_labels(key, [int(v) for v in missing] if key == "year" else missing)
            options += [FacetOption(v, str(names.get(int(v) if key == "year" else v, v)), 0, True) for v in missing]
        if options:
            groups.append({"key": key, "title": title, "options": options, "selected": len(selected)})
    return groups


def _active_filters(request, query: SearchQuery, groups: list[dict]) -> list[dict]:
    """Each active filter with the URL that removes it (for chips and the empty state)."""
    names = {(g["key"], o.value): o.label for g in groups for o in g["options"]}
    out = []
    for key in FILTER_KEYS:
        for value in getattr(query, key):
            params = request.GET.copy()
            params.setlist(key, [v for v in params.getlist(key) if v != str(value)])
            params.pop("page", None)
            out.append({
                "key": key, "label": names.get((key, str(value)), str(value)),
                "title": dict(FACETS)[key], "remove_url": "?" + params.urlencode(),
            })
    return out


@require_GET
def library(request):
    error = None
    query = results = None
    asked = None  # a page past the deepest a search may reach, answered like any page past the end
    try:
        query = query_from_params(request.GET, page_size=PAGE_SIZE)
        results = search_cases(query)
    except QueryError as exc:
        error = exc.message
        if exc.field == "page" and requested_page(request.GET) > 1:
            query, results, asked = _past_the_depth(request.GET)
            error = None if query else error
    hits = []
    if results is not None and asked is None:
        by_id = {h.case_id: h for h in results.hits}
        for case in selectors.cases_by_ids(results.case_ids):
            highlight = by_id[case.pk].highlight
            hits.append({
                "case": case,
                "title_html": mark_safe(highlight.get("title") or ""),  # noqa: S308 (escaped by the backend, <mark> only)
                "text_html": mark_safe(highlight.get("text") or ""),  # noqa: S308
                "missing": by_id[case.pk].missing,
            })
    total = results.total if results else 0
    last_page = max(1, -(-total // PAGE_SIZE))
    page = asked or (query.page if query else 1)
    beyond = results is not None and total > 0 and page > last_page
    groups = _facet_groups(results, query)
    filtered = bool(query and query.filters)
    popular = []
    if results is not None and total == 0:
        popular = _popular_topics()
    csv_params = [(k, v) for k, v in request.GET.items() if k != "page" for v in request.GET.getlist(k)]
    context = {
        "query": query,
        "q": (request.GET.get("q", "") if query else request.GET.get("q", "")[:MAX_QUERY_LENGTH]),
        "error": error,
        "results": results,
        "hits": hits,
        "total": total,
        "page": page,
        "first_position": (page - 1) * PAGE_SIZE + 1,
        "last_page": last_page,
        "beyond": beyond,
        "page_links": _page_links(min(page, last_page), last_page) if total > PAGE_SIZE else [],
        "facet_groups": groups,
        "active_filters": _active_filters(request, query, groups) if query else [],
        "filtered": filtered,
        "popular": popular,
        "popular_words": POPULAR_WORDS,
        "sort": query.sort if query else "relevance",
        "csv_query": urlencode(list(dict.fromkeys(csv_params))),
        "max_query_length": MAX_QUERY_LENGTH,
        **_correction_links(request, results),
    }
    status = 400 if error else (404 if beyond else 200)
    response = render(request, "website/library.html", context, status=status)
    return cache_public(request, response)


def _with_text(request, q: str, **extra: str) -> str:
    """This search (every filter and the sort kept, from the first page) for the text `q`."""
    params = request.GET.copy()
    params["q"] = q
    params.pop("page", None)
    params.pop("correct", None)
    for key, value in extra.items():
        params[key] = value
    return "?" + params.urlencode()


def _correction_links(request, results) -> dict:
    """The "已为您显示 / 仍然搜索" and "您要找的是" links of a homophone correction (search.correction)."""
    if results is None:
        return {}
    typed = request.GET.get("q", "")
    out = {"missing_words": results.missing_words}
    if results.corrected_query:
        out.update(corrected=results.corrected_query, corrected_url=_with_text(request, results.corrected_query),
                   original_url=_with_text(request, typed, correct="0"))
    elif results.suggested_query:
        out.update(suggested=results.suggested_query, suggested_url=_with_text(request, results.suggested_query))
    return out


def _past_the_depth(params) -> tuple[SearchQuery | None, object, int | None]:
    """A page too deep to search (MAX_DEPTH): when the results end before it, it is simply a
    page that does not exist ("没有第 N 页…共 M 页", as for any page past the end); only when
    there really are that many results does the depth limit speak. Returns (query, results,
    page asked) for the first case, (None, None, None) for the second."""
    first = params.copy()
    first["page"] = "1"
    try:
        query = query_from_params(first, page_size=PAGE_SIZE)
    except QueryError:
        return None, None, None
    results = search_cases(query)
    asked = requested_page(params)
    if asked > max(1, -(-results.total // PAGE_SIZE)):
        return query, results, asked
    return None, None, None


def _popular_topics() -> list[dict]:
    """The biggest scenario and key-group facets of the whole library, as links."""
    try:
        everything = search_cases(SearchQuery(page_size=1))
    except QueryError:  # pragma: no cover - an empty query is always valid
        return []
    topics = []
    for key, enum in (("group", KeyGroup), ("scenario", Scenario)):
        for facet in everything.facets.get(key, [])[:4]:
            topics.append({
                "label": label_of(enum, str(facet.value)), "count": facet.count,
                "url": "?" + urlencode({key: facet.value}),
            })
    return topics
