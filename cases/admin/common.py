"""Shared pieces of the working pages (推荐, 活动工作台, 我的评审): page base, access, confirmation,
refusal messages and spreadsheet downloads. No rules live here: views ask `cases.permissions`
and call the services."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .. import permissions
from ..errors import WorkflowError
from ..models import Campaign

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def raise_if_not_found(exc: WorkflowError) -> None:
    """A refusal that means "no such thing, or not yours to see" (status 404) is a 404 page, as
    for any missing object, so an invisible case and a missing one look alike; every other
    refusal is left to the caller, which shows its message."""
    if exc.status == 404:
        raise Http404(exc.message) from exc


class AdminPage(WagtailAdminTemplateMixin, TemplateView):
    """A Wagtail-looking page with breadcrumbs: Home › (crumbs) › title."""

    page_title = ""

    def get_page_title(self):
        return self.page_title

    def get_crumbs(self) -> list[tuple[str, str]]:
        return []

    def get_breadcrumbs_items(self):
        items = [{"url": url, "label": label} for url, label in self.get_crumbs()]
        return self.breadcrumbs_items + items + [{"url": "", "label": self.get_page_title()}]

    def redirect_here(self):
        return HttpResponseRedirect(self.request.get_full_path())

    def refused(self, exc: WorkflowError, redirect_to: str | None = None):
        """A refused service call: 404 stays a 404; anything else becomes a message."""
        raise_if_not_found(exc)
        messages.error(self.request, exc.message)
        return HttpResponseRedirect(redirect_to or self.request.get_full_path())

    def confirm(
        self, *, title: str, message: str, confirm_label: str, cancel_url: str, items=(), warning: str = "",
        destructive: bool = False, details=(), skipped=(),
    ) -> TemplateResponse:
        """Ask before a batch or irreversible action: re-post the same fields with `confirmed=1`.

        `items` are what the action will change, `skipped` the (title, why) it will leave alone; with
        only skipped items there is nothing to confirm and the page offers no confirm button.
        """
        carried = [
            (name, value)
            for name, values in self.request.POST.lists()
            if name not in ("csrfmiddlewaretoken", "confirmed")
            for value in values
        ]
        context = WagtailAdminTemplateMixin.get_context_data(self)
        title = str(title)
        context.update(
            page_title=title, header_title=title,
            breadcrumbs_items=self.get_breadcrumbs_items()[:-1] + [{"url": "", "label": title}],
            message=message, items=list(items), warning=warning, details=list(details), carried=carried,
            skipped=list(skipped), nothing_to_do=bool(skipped) and not items,
            confirm_label=confirm_label, cancel_url=cancel_url, destructive=destructive,
            action_url=self.request.get_full_path(),
        )
        return TemplateResponse(self.request, "cases/admin/confirm.html", context)

    def is_confirmed(self) -> bool:
        return self.request.POST.get("confirmed") == "1"


class StaffOnlyMixin:
    """The secretariat's pages: anyone else gets a 404 (they don't exist for them)."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.is_staff_role(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CampaignDeskMixin:
    """A page of one campaign's 工作台, with the campaign's sub-navigation."""

    desk_section = ""

    def dispatch(self, request, campaign_id: int, *args, **kwargs):
        if not permissions.is_staff_role(request.user):
            raise Http404
        self.campaign = get_object_or_404(Campaign.objects.prefetch_related("categories", "tiers", "rubric"), pk=campaign_id)
        return super().dispatch(request, campaign_id, *args, **kwargs)

    def get_page_subtitle(self):
        return self.campaign.title

    def get_crumbs(self):
        crumbs = [(reverse("desk:index"), _("活动工作台"))]
        if self.desk_section != "dashboard":
            crumbs.append((reverse("desk:dashboard", args=[self.campaign.pk]), self.campaign.title))
        return crumbs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaign"] = self.campaign
        context["desk_nav"] = desk_nav(self.campaign, self.desk_section)
        return context


DESK_SECTIONS = [
    ("dashboard", "desk:dashboard", gettext_lazy("概览")),
    ("check", "desk:check", gettext_lazy("形式审查")),
    ("pool", "desk:pool", gettext_lazy("评审专家库")),
    ("assignments", "desk:assignments", gettext_lazy("评审分配")),
    ("ranking", "desk:ranking", gettext_lazy("排名与遴选")),
    ("notice", "desk:notice", gettext_lazy("公示与发布")),
]


def desk_nav(campaign: Campaign, current: str) -> list[dict]:
    return [
        {"label": label, "url": reverse(name, args=[campaign.pk]), "current": key == current}
        for key, name, label in DESK_SECTIONS
    ]


def safe_next(request, fallback: str) -> str:
    """A `next` URL on this site only (never an open redirect)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return fallback


def with_next(url: str, next_url: str) -> str:
    return f"{url}?next={quote(next_url)}"


def xlsx_response(content: bytes, filename: str, fallback: str) -> HttpResponse:
    """An .xlsx download; `filename*` (RFC 5987) carries the Chinese name, `filename` an ASCII fallback."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def int_list(values) -> list[int]:
    out = []
    for value in values:
        try:
            out.append(int(value))
        except (TypeError, ValueError):
            continue
    return out


def refusal_messages(request, refused, titles: dict[int, str]) -> None:
    """One error message per refused case: “title”：why."""
    for key, message in refused:
        case_id = getattr(key, "pk", key)
        title = titles.get(case_id) or getattr(key, "title", "") or f"#{case_id}"
        messages.error(request, _("“%(title)s”：%(message)s") % {"title": title, "message": message})
