"""排名与遴选 (secretariat): the ranking per category from `review.ranking`, shortlist into a tier
or not_select through `workflow.transition`, and the .xlsx score sheet and ranking."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages

import audit

from .. import preview, workflow
from ..errors import WorkflowError
from ..exports import workbook_bytes
from ..models import Case
from ..models.campaigns import Aggregation
from ..review.exports import score_sheet
from ..review.ranking import ranking
from ..states import CaseStatus
from .common import AdminPage, CampaignDeskMixin, xlsx_response
from .selectors import tier_usage

METHODS = [("mean", gettext_lazy("平均分")), ("trimmed_mean", gettext_lazy("去极值平均分")), ("normalised", gettext_lazy("标准化得分"))]


def _fmt(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


class RankingMixin(CampaignDeskMixin):
    def category_code(self) -> str:
        code = self.request.GET.get("category", "")
        return code if any(c.code == code for c in self.campaign.categories.all()) else ""

    def category_title(self) -> str:
        code = self.category_code()
        return next((c.title for c in self.campaign.categories.all() if c.code == code), "")


class RankingView(RankingMixin, AdminPage):
    template_name = "cases/admin/desk/ranking.html"
    header_icon = "order"
    desk_section = "ranking"

    def get_page_title(self):
        return _("排名与遴选")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        code = self.category_code()
        rows = ranking(campaign=campaign, by=self.request.user, category_code=code or None)
        method = campaign.aggregation
        query = urlencode({"category": code}) if code else ""
        context.update(
            rows=[{"r": r, "score": r.score(method), "reviewed": r.case.status == CaseStatus.REVIEWED} for r in rows],
            method=method, method_label=Aggregation(method).label,
            methods=[{"code": m, "label": label, "current": m == method} for m, label in METHODS],
            tiers=tier_usage(campaign), categories=list(campaign.categories.all()), category=code,
            rubric_total=campaign.rubric_total,
            scores_url=reverse("desk:scores_xlsx", args=[campaign.pk]) + (f"?{query}" if query else ""),
            ranking_url=reverse("desk:ranking_xlsx", args=[campaign.pk]) + (f"?{query}" if query else ""),
            unranked=sum(1 for r in rows if r.n_scores and r.rank is None),
            counts={
                "reviewed": sum(1 for r in rows if r.case.status == CaseStatus.REVIEWED),
                "in_review": sum(1 for r in rows if r.case.status == CaseStatus.IN_REVIEW),
            },
        )
        return context

    def post(self, request, *args, **kwargs):
        operation = request.POST.get("operation", "")
        case = get_object_or_404(Case, pk=request.POST.get("case") or 0, campaign=self.campaign)
        if operation == "shortlist":
            tier = request.POST.get("tier", "")
            if not self.is_confirmed():
                return self._confirm_shortlist(case, tier)
            try:
                case = workflow.transition(case=case.pk, name="shortlist", by=request.user, tier=tier,
                                           expected_status=CaseStatus.REVIEWED)
            except WorkflowError as exc:
                return self.refused(exc)
            messages.success(request, _("“%(title)s”已拟入选（%(tier)s）。") % {"title": case.title, "tier": case.tier.title})
            return self.redirect_here()
        if operation == "not_select":
            reason = request.POST.get("reason", "").strip()
            if not self.is_confirmed():
                return self.confirm(
                    title=_("确认未入选"),
                    message=_("“%(title)s”将标记为未入选。") % {"title": case.title},
                    details=[(_("理由"), reason or _("（未填写）"))],
                    warning=_("理由将告知申报单位；如需改回，可在案例详情中执行“重新考虑”。"),
                    confirm_label=_("确认未入选"), cancel_url=request.get_full_path(), destructive=True,
                )
            try:
                case = workflow.transition(case=case.pk, name="not_select", by=request.user, reason=reason,
                                           expected_status=CaseStatus.REVIEWED)
            except WorkflowError as exc:
                return self.refused(exc)
            messages.success(request, _("“%(title)s”已标记为未入选。") % {"title": case.title})
            return self.redirect_here()
        messages.error(request, _("未知的操作。"))
        return self.redirect_here()


    def _confirm_shortlist(self, case: Case, tier_code: str):
        """Say which tier and how many of its places will be used; or, before anything, why it can't."""
        why = preview.refusal(case=case.pk, name="shortlist", by=self.request.user, tier=tier_code,
                              expected_status=CaseStatus.REVIEWED)
        usage = next((t for t in tier_usage(self.campaign) if t["code"] == tier_code), None)
        details = []
        if usage is not None:
            details = [(_("入选等级"), usage["title"]),
                       (_("名额"), _("已用 %(used)d / %(quota)d，确认后 %(after)d / %(quota)d")
                        % {"used": usage["used"], "quota": usage["quota"], "after": usage["used"] + 1})]
        return self.confirm(
            title=_("确认拟入选"),
            message=_("“%(title)s”将拟入选：") % {"title": case.title} if why is None else _("“%(title)s”目前不能拟入选。") % {"title": case.title},
            details=details, items=[case.title] if why is None else [], skipped=[(case.title, why)] if why else [],
            warning=_("拟入选后将占用该等级一个名额，并在“公示与发布”中随本活动的其他拟入选案例一起公示。"),
            confirm_label=_("确认拟入选"), cancel_url=self.request.get_full_path(),
        )


class ScoreSheetView(RankingMixin, View):
    """专家评分汇总表: one row per case, one column per reviewer and criterion."""

    def get(self, request, *args, **kwargs):
        code = self.category_code()
        content = score_sheet(campaign=self.campaign, by=request.user, category_code=code or None)
        suffix = f"-{self.category_title()}" if code else ""
        return xlsx_response(
            content, _("%(campaign)s%(suffix)s-专家评分汇总表.xlsx") % {"campaign": self.campaign.title, "suffix": suffix},
            f"scores-{self.campaign.pk}{'-' + code if code else ''}.xlsx",
        )


class RankingSheetView(RankingMixin, View):
    """排名表: the ranking page as a spreadsheet."""

    def get(self, request, *args, **kwargs):
        campaign, code = self.campaign, self.category_code()
        rows = ranking(campaign=campaign, by=request.user, category_code=code or None)
        method_label = str(Aggregation(campaign.aggregation).label)
        headers = [_("排名"), _("案例编号"), _("案例名称"), _("所属地区"), _("征集方向"), _("状态"), _("入选等级"),
                   _("评分份数"), _("平均分"), _("去极值平均分"), _("标准化得分"), _("最低分"), _("最高分"), _("标准差"),
                   _("分歧较大")]
        body = (
            [r.rank or "", r.case.pk, r.case.title, r.case.region.full_name,
             r.case.category.title if r.case.category else "", r.case.get_status_display(),
             r.case.tier.title if r.case.tier else "", r.n_scores, _fmt(r.mean), _fmt(r.trimmed_mean),
             _fmt(r.normalised), _fmt(r.minimum), _fmt(r.maximum), _fmt(r.stdev), _("是") if r.disagreement else ""]
            for r in rows
        )
        suffix = f"-{self.category_title()}" if code else ""
        heading = _("%(campaign)s%(suffix)s · 排名（计分方法：%(method)s）") % {
            "campaign": campaign.title, "suffix": suffix, "method": method_label,
        }
        content = workbook_bytes(_("排名"), headers, body, heading=heading)
        audit.record("export", user=request.user, obj=campaign, request=request,
                     details={"export": "ranking_sheet", "category": code})
        return xlsx_response(
            content, _("%(campaign)s%(suffix)s-排名.xlsx") % {"campaign": campaign.title, "suffix": suffix},
            f"ranking-{campaign.pk}{'-' + code if code else ''}.xlsx",
        )
