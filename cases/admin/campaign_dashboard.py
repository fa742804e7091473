"""活动工作台 for the secretariat: the campaigns, one campaign's counts per state and per province
(with links to the filtered case list), and the batch formal check (形式审查)."""

from __future__ import annotations

from collections import Counter

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.admin import messages

from .. import exports, extensions, preview, selectors, workflow, worklists
from ..states import CaseStatus
from .common import (
    AdminPage,
    CampaignDeskMixin,
    StaffOnlyMixin,
    int_list,
    refusal_messages,
    with_next,
    xlsx_response,
)
from .dashboard import case_list_url, todo_items


class DeskIndexView(StaffOnlyMixin, AdminPage):
    template_name = "cases/admin/desk/index.html"
    header_icon = "tasks"

    def get_page_title(self):
        return _("活动工作台")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = Counter(selectors.case_totals_per_campaign())
        context["campaigns"] = [
            {"campaign": c, "total": totals[c.pk], "url": reverse("desk:dashboard", args=[c.pk]),
             "edit_url": reverse("campaigns:edit", args=[c.pk])}
            for c in selectors.campaigns_newest_first()
        ]
        return context


class CampaignDashboardView(CampaignDeskMixin, AdminPage):
    """Counts per state and a province × state table, each number a link to the matching cases."""

    template_name = "cases/admin/desk/dashboard.html"
    header_icon = "tasks"
    desk_section = "dashboard"

    def get_page_title(self):
        return self.campaign.title

    def get_page_subtitle(self):
        return _("活动工作台")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        counts = selectors.campaign_state_counts(campaign)
        states = [
            {"status": code, "label": label, "count": counts.get(code, 0),
             "url": case_list_url(campaign=campaign.pk, status=code)}
            for code, label in CaseStatus.choices
        ]
        # Province columns: only the states some case of the campaign is in (the table stays readable).
        columns = [s for s in states if s["count"]]
        provinces = [
            {
                "code": row["code"], "name": row["name"], "total": row["total"],
                "url": case_list_url(campaign=campaign.pk, province=row["code"]),
                "cells": [
                    {"count": row["states"].get(col["status"], 0),
                     "url": case_list_url(campaign=campaign.pk, province=row["code"], status=col["status"])}
                    for col in columns
                ],
            }
            for row in selectors.campaign_province_counts(campaign)
        ]
        context.update(
            states=states, columns=columns, provinces=provinces, total=sum(counts.values()),
            all_url=case_list_url(campaign=campaign.pk),
            todo=todo_items(worklists.secretariat_todo(campaign)[0]),
            next_steps=[
                {"label": _("待形式审查"), "count": counts.get(CaseStatus.RECOMMENDED, 0), "url": reverse("desk:check", args=[campaign.pk])},
                {"label": _("待分配评审专家或开始评审"), "count": counts.get(CaseStatus.ELIGIBLE, 0), "url": reverse("desk:assignments", args=[campaign.pk])},
                {"label": _("专家评审中"), "count": counts.get(CaseStatus.IN_REVIEW, 0), "url": reverse("desk:assignments", args=[campaign.pk])},
                {"label": _("待遴选（评审完成）"), "count": counts.get(CaseStatus.REVIEWED, 0), "url": reverse("desk:ranking", args=[campaign.pk])},
                {"label": _("拟入选（待公示）"), "count": counts.get(CaseStatus.SHORTLISTED, 0), "url": reverse("desk:notice", args=[campaign.pk])},
                {"label": _("公示中"), "count": counts.get(CaseStatus.IN_NOTICE, 0), "url": reverse("desk:notice", args=[campaign.pk])},
            ],
        )
        return context


class FormalCheckView(CampaignDeskMixin, AdminPage):
    """The recommended cases; pass the check for the ticked ones at once (each refusal reported)."""

    template_name = "cases/admin/desk/check.html"
    header_icon = "tick-inverse"
    desk_section = "check"

    def get_page_title(self):
        return _("形式审查")

    def cases(self):
        qs = selectors.cases_awaiting(self.request.user, campaign=self.campaign, status=CaseStatus.RECOMMENDED)
        category = self.request.GET.get("category", "")
        if category:
            qs = qs.filter(category__code=category)
        return qs.select_related("region__province", "province")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        here = self.request.get_full_path()
        user = self.request.user
        cases = list(self.cases())
        reports = extensions.similarity.latest_reports(c.pk for c in cases)
        sort = self.request.GET.get("sort", "")
        if sort == "similarity":
            cases.sort(key=lambda c: extensions.similarity.sort_key(reports.get(c.pk)))
        rows = []
        for case in cases:
            names = {s.name for s in workflow.available_transitions(case, user)}
            rows.append({
                "case": case,
                "similarity": reports.get(case.pk),
                "can_pass": "pass_check" in names,
                "links": [
                    {"label": workflow.SPECS[name].label,
                     "url": with_next(reverse("cases:transition", args=[case.pk, name]), here)}
                    for name in ("fail_check", "return_for_revision") if name in names
                ],
            })
        category = self.request.GET.get("category", "")
        sheet_url = reverse("desk:check_xlsx", args=[self.campaign.pk])
        context.update(rows=rows, categories=list(self.campaign.categories.all()), category=category, sort=sort,
                       sheet_url=sheet_url + (f"?{urlencode({'category': category})}" if category else ""))
        return context

    def post(self, request, *args, **kwargs):
        ids = int_list(request.POST.getlist("case"))
        if not ids:
            messages.error(request, _("请先勾选要通过形式审查的案例。"))
            return self.redirect_here()
        titles = selectors.case_titles(self.campaign, ids)
        ids = [pk for pk in ids if pk in titles]  # this campaign's cases only
        if not ids:
            messages.error(request, _("所选案例不属于本活动。"))
            return self.redirect_here()
        if not self.is_confirmed():
            chosen = selectors.cases_by_id(ids)
            seen = preview.outlook(cases=[chosen[pk] for pk in ids], name="pass_check", by=request.user)
            return self.confirm(
                title=_("确认形式审查通过"),
                message=_("以下 %(n)d 个案例将通过形式审查，进入专家评审准备：") % {"n": len(seen.changes)},
                items=[c.title for c in seen.changes], skipped=[(c.title, why) for c, why in seen.skips],
                confirm_label=_("确认通过（%(n)d 个）") % {"n": len(seen.changes)},
                cancel_url=request.get_full_path(),
            )
        result = workflow.transition_many(case_ids=ids, name="pass_check", by=request.user)
        if result.done:
            messages.success(request, _("已有 %(n)d 个案例通过形式审查。") % {"n": len(result.done)})
        refusal_messages(request, result.refused, titles)
        return self.redirect_here()


class FormalCheckSheetView(FormalCheckView):
    """形式审查清单 (.xlsx): the cases of the page, with their 查重 figures."""

    def get(self, request, *args, **kwargs):
        content = exports.formal_check_sheet(by=request.user, cases=list(self.cases()), campaign=self.campaign)
        return xlsx_response(
            content, _("%(campaign)s-形式审查清单.xlsx") % {"campaign": self.campaign.title},
            f"formal-check-{self.campaign.pk}.xlsx",
        )
