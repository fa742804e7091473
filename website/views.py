"""The public pages served by views: library, case, campaigns, 公示 and the display switch.

Only published cases reach the library, case and campaign pages; cases in notice are read
by the notice views alone (docs/domain.md §3). Each view runs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases import adoptions, notice, objection_progress
from cases.errors import WorkflowError
from cases.models import Case
from cases.taxonomies import KeyGroup, Scenario, label_of
from search.facets import labels as facet_labels
from search.params import query_from_params
from search.query import MAX_QUERY_LENGTH, QueryError, SearchQuery
from search.service import search_cases

from . import case_page, display, selectors
from .forms import AdoptionForm, ObjectionForm, ObjectionLookupForm
from .http import cache_public, no_store
from .paging import Window, requested_page
from .paging import page_links as _page_links

PAGE_SIZE = 20
# Cases per page of a campaign's list and of the 公示 list (paged in the database).
LIST_PAGE_SIZE = 20
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


# --- library -------------------------------------------------------------------------------


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


# --- case page ------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def case_detail(request, pk: int):
    found = case_page.page(request, pk)
    if found is None:
        raise Http404(_("未找到该案例。"))
    case, parts = found
    may_report = adoptions.can_report_adoption(request.user, case)
    form = AdoptionForm()
    if request.method == "POST":
        if not may_report:
            return no_store(render(request, "website/case_detail.html", {
                "case": case, "parts": parts, "may_report": False,
                "report_refused": _("您没有报告该案例借鉴情况的权限。"),
            }, status=403))
        form = AdoptionForm(request.POST)
        try:
            adoptions.report_adoption(
                case_id=case.pk, by=request.user, since=request.POST.get("since", "").strip(),
                summary=request.POST.get("summary", ""), results=request.POST.get("results", ""),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(reverse("website:case", args=[case.pk]) + "?reported=1#adoptions")
    context = {
        "case": case,
        "parts": parts,
        "may_report": may_report,
        "form": form,
        "reported": request.GET.get("reported") == "1" and request.user.is_authenticated,
        "login_url": "/admin/login/?" + urlencode({"next": reverse("website:case", args=[case.pk]) + "#adoptions"}),
    }
    status = 400 if form.errors else 200
    response = render(request, "website/case_detail.html", context, status=status)
    return cache_public(request, response, has_form=may_report)


# --- campaigns ------------------------------------------------------------------------------


@require_GET
def campaign_list(request):
    campaigns = selectors.campaign_list()
    response = render(request, "website/campaign_list.html", {"campaigns": campaigns})
    return cache_public(request, response)


def _no_such_page(request, template: str, context: dict, window: Window):
    """A page number that is not one of the list's pages: 404 with links to the first and last page."""
    context = {**context, **window.context(), "no_such_page": True, "cases": []}
    return render(request, template, context, status=404)


@require_GET
def campaign_detail(request, slug: str):
    """The campaign, its results per tier and one page of its cases (a fixed number of queries)."""
    campaign = selectors.public_campaign(slug)
    if campaign is None:
        raise Http404(_("未找到该征集活动。"))
    tier_counts = selectors.campaign_tier_counts(campaign)
    window = Window(requested_page(request.GET), sum(n for _tier, n in tier_counts), LIST_PAGE_SIZE)
    context = {
        "campaign": campaign,
        "timeline": selectors.campaign_timeline(campaign),
        "tier_counts": tier_counts,
        "published_count": window.total,
        "in_notice": selectors.campaign_in_notice_count(campaign),
        "categories": list(campaign.categories.all()),
        "now": timezone.now(),
    }
    if not window.exists:
        return _no_such_page(request, "website/campaign_detail.html", context, window)
    cases = selectors.campaign_cases(campaign, offset=window.offset, limit=window.size)
    groups: list[dict] = []
    for case in cases:  # the page's cases under their tier's heading, as on the printed list
        if not groups or groups[-1]["tier_id"] != case.tier_id:
            groups.append({"tier_id": case.tier_id, "tier": case.tier, "cases": []})
        groups[-1]["cases"].append(case)
    context.update(window.context(), groups=groups, cases=cases)
    response = render(request, "website/campaign_detail.html", context)
    return cache_public(request, response)


# --- 公示 (public notice) and objections ------------------------------------------------------


@require_GET
def notice_list(request):
    window = Window(requested_page(request.GET), selectors.noticed_count(), LIST_PAGE_SIZE)
    context = {"now": timezone.now()}
    if not window.exists:
        return _no_such_page(request, "website/notice_list.html", context, window)
    context.update(window.context(), cases=selectors.noticed_cases(offset=window.offset, limit=window.size))
    response = render(request, "website/notice_list.html", context)
    return cache_public(request, response)


def _notice_open(case: Case) -> bool:
    return case.notice_ends is None or timezone.now() <= case.notice_ends


@require_http_methods(["GET", "HEAD", "POST"])
def notice_detail(request, pk: int):
    case = selectors.noticed_case(pk)
    if case is None:
        raise Http404(_("未找到该公示案例。"))
    form = ObjectionForm()
    refused = ""
    if request.method == "POST":
        form = ObjectionForm(request.POST, request.FILES)
        fields = {k: request.POST.get(k, "") for k in ("name", "phone", "email", "reason")}
        objection = None
        try:
            if form.is_valid():
                objection = notice.submit_objection(case_id=case.pk, evidence=form.cleaned_data.get("evidence"), **fields)
            else:
                _check_objection(case.pk, fields)  # every error at once, not the consent box first
        except ValidationError as exc:
            form.add_service_errors(exc)
        except WorkflowError as exc:
            refused = str(exc)
        if objection is not None:
            received = request.session.get("objections_received", {})
            received[str(case.pk)] = objection.reference
            request.session["objections_received"] = received
            return HttpResponseRedirect(reverse("website:objection_received", args=[case.pk]), status=303)
    context = {
        "case": case,
        "indicators": list(case.indicators.all()),
        "links": list(case.links.all()),
        "form": form,
        "refused": refused,
        "open": _notice_open(case),
        "retention_days": settings.CASEBOOK["OBJECTION_RETENTION_DAYS"],
        "now": timezone.now(),
    }
    status = 400 if (form.errors or refused) else 200
    return no_store(render(request, "website/notice_detail.html", context, status=status))


class _DryRun(Exception):
    pass


def _check_objection(case_id: int, fields: dict) -> None:
    """Run the service's checks without keeping anything (the savepoint is rolled back).

    Used when the form itself is incomplete (no consent), so that the visitor sees every
    problem in one go. No file is passed, so nothing reaches the storage either.
    """
    try:
        with transaction.atomic():
            notice.submit_objection(case_id=case_id, evidence=None, **fields)
            raise _DryRun
    except _DryRun:
        pass


@require_GET
def objection_received(request, pk: int):
    """The confirmation with the reference number, for whoever just objected (from the session)."""
    reference = request.session.get("objections_received", {}).get(str(pk))
    if reference is None:
        return redirect("website:notice", pk=pk)
    case = Case.objects.filter(pk=pk).only("id", "title", "status").first()
    if case is None:
        raise Http404
    context = {"case": case, "reference": reference,
               "retention_days": settings.CASEBOOK["OBJECTION_RETENTION_DAYS"]}
    return no_store(render(request, "website/objection_received.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
def objection_lookup(request):
    """异议进度查询: reference number + last four phone digits → status and, once ruled, the ruling."""
    form = ObjectionLookupForm(request.POST if request.method == "POST" else None)
    progress, not_found = None, False
    if request.method == "POST" and form.is_valid():
        progress = objection_progress.lookup(reference=form.cleaned_data["reference"],
                                             phone_last4=form.cleaned_data["phone_last4"])
        not_found = progress is None
    context = {"form": form.accessible(), "progress": progress, "not_found": not_found}
    status = 400 if form.errors else (404 if not_found else 200)
    return no_store(render(request, "website/objection_lookup.html", context, status=status))


# --- display switch (适老化) ------------------------------------------------------------------


@require_GET
def display_switch(request):
    """Set the large-text / high-contrast cookies and go back (the switch without JavaScript)."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()) or not target.startswith("/"):
        target = "/"
    response = HttpResponseRedirect(target)
    for key, (cookie, values) in display.CHOICES.items():
        value = request.GET.get(key)
        if value not in values:
            continue
        if value == values[0]:
            response.delete_cookie(cookie, samesite="Lax")
        else:
            response.set_cookie(cookie, value, max_age=display.COOKIE_AGE, samesite="Lax",
                                secure=request.is_secure(), httponly=False)
    return no_store(response)
