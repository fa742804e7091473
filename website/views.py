"""The public pages of published cases: a case's page (with the adoption report form), the
campaigns and a campaign's results, and the display switch. The library is `library_views`,
the 公示 pages `notice_views`.

Only published cases reach the case and campaign pages; cases in notice are read by the
notice views alone (docs/domain.md §3). Each view runs a fixed number of queries.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases import adoptions
from cases.errors import WorkflowError

from . import case_page, display, selectors
from .forms import AdoptionForm
from .http import cache_public, no_store
from .paging import LIST_PAGE_SIZE, Window, no_such_page, requested_page

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
        return no_such_page(request, "website/campaign_detail.html", context, window)
    cases = selectors.campaign_cases(campaign, offset=window.offset, limit=window.size)
    groups: list[dict] = []
    for case in cases:  # the page's cases under their tier's heading, as on the printed list
        if not groups or groups[-1]["tier_id"] != case.tier_id:
            groups.append({"tier_id": case.tier_id, "tier": case.tier, "cases": []})
        groups[-1]["cases"].append(case)
    context.update(window.context(), groups=groups, cases=cases)
    response = render(request, "website/campaign_detail.html", context)
    return cache_public(request, response)


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
