"""推荐排序: a recommender's province, per campaign and category — the submitted cases awaiting a
decision, the nominated ones in rank order, the quota; recommend with a rank, reorder, return or
decline (through the confirm page), and the 推荐汇总表 download.

Thin: `selectors.cases_awaiting`, `nomination.nominated/reorder`, `workflow.transition`,
`exports.nomination_sheet` decide and refuse; this module only collects the inputs.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from wagtail.admin import messages

from .. import exports, extensions, nomination, permissions, selectors, workflow
from ..errors import WorkflowError
from ..models import Campaign, CampaignCategory, Case
from ..states import CampaignStatus, CaseStatus
from .common import AdminPage, int_list, with_next, xlsx_response

# Campaigns whose nominations are being made now; later ones keep only their 推荐汇总表 on the index.
ACTIVE_STATES = (CampaignStatus.OPEN, CampaignStatus.CLOSED)


def nominating_campaigns():
    """Campaigns with a nomination step that have started (drafts are still being set up)."""
    return (
        Campaign.objects.filter(nomination_required=True)
        .exclude(status=CampaignStatus.DRAFT)
        .prefetch_related("categories", "quota_overrides")
        .order_by("-year", "-batch", "title")
    )


class NominatorMixin:
    """Recommenders with a province only (the same people who download the 推荐汇总表)."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_export_nominations(request.user):
            raise Http404
        self.province = request.user.region
        return super().dispatch(request, *args, **kwargs)

    def slot(self, campaign: Campaign, category: CampaignCategory | None) -> Case:
        """An unsaved case naming (campaign, province, category): what the nomination service keys on."""
        return Case(campaign=campaign, province_id=self.province.code, category=category)


class NominationIndexView(NominatorMixin, AdminPage):
    template_name = "cases/admin/nomination/index.html"
    header_icon = "list-ol"

    def get_page_title(self):
        return _("推荐")

    def get_page_subtitle(self):
        return self.province.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows, past = [], []
        for campaign in nominating_campaigns():
            if campaign.status not in ACTIVE_STATES:
                past.append({"campaign": campaign, "sheet_url": reverse("nomination:sheet", args=[campaign.pk])})
                continue
            awaiting = selectors.cases_awaiting(user, campaign=campaign, status=CaseStatus.SUBMITTED)
            categories = []
            for category in campaign.categories.all():
                categories.append({
                    "category": category,
                    "awaiting": awaiting.filter(category=category).count(),
                    "used": nomination.nominated(self.slot(campaign, category)).count(),
                    "quota": campaign.quota_for(self.province.code, category.code),
                    "url": reverse("nomination:rank", args=[campaign.pk, category.pk]),
                })
            rows.append({
                "campaign": campaign,
                "categories": categories,
                "sheet_url": reverse("nomination:sheet", args=[campaign.pk]),
            })
        context.update(campaigns=rows, past=past, province=self.province)
        return context


class NominationRankView(NominatorMixin, AdminPage):
    """One campaign and category: awaiting cases, nominated cases in order, and the quota."""

    template_name = "cases/admin/nomination/rank.html"
    header_icon = "list-ol"

    def dispatch(self, request, campaign_id: int, category_id: int, *args, **kwargs):
        self.campaign = get_object_or_404(nominating_campaigns(), pk=campaign_id)
        self.category = get_object_or_404(CampaignCategory, campaign=self.campaign, pk=category_id)
        return super().dispatch(request, campaign_id, category_id, *args, **kwargs)

    def get_page_title(self):
        return _("推荐排序")

    def get_page_subtitle(self):
        return f"{self.campaign.title} · {self.category.title}"

    def get_crumbs(self):
        return [(reverse("nomination:index"), _("推荐"))]

    def nominated(self) -> list[Case]:
        return list(nomination.nominated(self.slot(self.campaign, self.category)).select_related("region", "region__province"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        here = self.request.get_full_path()
        nominated = self.nominated()
        awaiting = []
        cases = list(selectors.cases_awaiting(user, campaign=self.campaign, status=CaseStatus.SUBMITTED).filter(
            category=self.category
        ).select_related("region__province"))
        reports = extensions.similarity.latest_reports(c.pk for c in cases)
        for case in cases:
            names = {spec.name for spec in workflow.available_transitions(case, user)}
            awaiting.append({
                "case": case,
                "similarity": reports.get(case.pk),
                "can_recommend": "recommend" in names,
                "links": [
                    {"label": workflow.SPECS[name].label,
                     "url": with_next(reverse("cases:transition", args=[case.pk, name]), here)}
                    for name in ("return_for_revision", "decline") if name in names
                ],
            })
        quota = self.campaign.quota_for(self.province.code, self.category.code)
        context.update(
            campaign=self.campaign, category=self.category, province=self.province,
            nominated=nominated, awaiting=awaiting, quota=quota, used=len(nominated),
            next_rank=len(nominated) + 1, quota_full=len(nominated) >= quota,
            sheet_url=reverse("nomination:sheet", args=[self.campaign.pk]),
        )
        return context

    # --- actions ---------------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        operation = request.POST.get("operation", "")
        if operation == "recommend":
            return self._recommend(request)
        if operation == "order":
            return self._reorder(request)
        messages.error(request, _("未知的操作。"))
        return self.redirect_here()

    def _recommend(self, request):
        case_id = int_list([request.POST.get("case")])
        if not case_id:
            raise Http404
        try:
            case = workflow.transition(
                case=case_id[0], name="recommend", by=request.user, rank=request.POST.get("rank", "").strip(),
                expected_status=CaseStatus.SUBMITTED,
            )
        except WorkflowError as exc:
            return self.refused(exc)
        messages.success(
            request, _("已推荐“%(title)s”，推荐排序第 %(rank)d 位。") % {"title": case.title, "rank": case.nomination_rank}
        )
        return self.redirect_here()

    def _reorder(self, request):
        current = [c.pk for c in self.nominated()]
        move = request.POST.get("move", "")
        if move:
            order = _moved(current, move)
            if order is None:
                messages.info(request, _("该案例已在最前或最后，不能再移动。"))
                return self.redirect_here()
        else:
            order = _typed_order(current, request.POST)
            if order is None:
                messages.error(request, _("排序须填写正整数。"))
                return self.redirect_here()
        if order == current:
            messages.info(request, _("推荐排序没有变化。"))
            return self.redirect_here()
        try:
            nomination.reorder(by=request.user, campaign_id=self.campaign.pk, category_id=self.category.pk, order=order)
        except WorkflowError as exc:
            return self.refused(exc)
        messages.success(request, _("推荐排序已更新。"))
        return self.redirect_here()


def _moved(current: list[int], move: str) -> list[int] | None:
    """`<case id>:up` or `<case id>:down` applied to the current order (None when it can't move)."""
    pk, _sep, direction = move.partition(":")
    try:
        i = current.index(int(pk))
    except ValueError:
        return None
    j = i - 1 if direction == "up" else i + 1 if direction == "down" else -1
    if not 0 <= j < len(current):
        return None
    order = list(current)
    order[i], order[j] = order[j], order[i]
    return order


def _typed_order(current: list[int], data) -> list[int] | None:
    """The order typed into the rank inputs (`order-<case id>`); ties keep the current order."""
    keyed = []
    for position, pk in enumerate(current):
        raw = (data.get(f"order-{pk}") or "").strip()
        try:
            wanted = int(raw) if raw else position + 1
        except ValueError:
            return None
        if wanted < 1:
            return None
        keyed.append((wanted, position, pk))
    return [pk for _w, _p, pk in sorted(keyed)]


class NominationSheetView(NominatorMixin, View):
    """The province's 推荐汇总表 (.xlsx) for one campaign."""

    def get(self, request, campaign_id: int):
        campaign = get_object_or_404(nominating_campaigns(), pk=campaign_id)
        try:
            content = exports.nomination_sheet(by=request.user, campaign=campaign)
        except WorkflowError as exc:
            raise Http404(exc.message) from exc
        filename = _("%(province)s推荐汇总表-%(campaign)s.xlsx") % {"province": self.province.name, "campaign": campaign.title}
        return xlsx_response(content, filename, f"nomination-{campaign.pk}-{self.province.code}.xlsx")
