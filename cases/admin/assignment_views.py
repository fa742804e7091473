"""评审分配 (secretariat): the cases that can get reviewers, their reviewers, automatic and manual
assignment, withdrawing an assignment, and starting the review. The writes are
`cases.review.assignment`'s and `workflow`'s; the reads `cases.review.selectors`'."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from .. import preview, workflow
from .. import selectors as case_selectors
from ..errors import WorkflowError
from ..models import Case, ReviewStatus
from ..review import assignment as assignment_service
from ..review import selectors
from ..states import CaseStatus
from .common import AdminPage, CampaignDeskMixin, int_list, refusal_messages
from .display import reviewer_label


class AssignmentsView(CampaignDeskMixin, AdminPage):
    """Cases that can get reviewers (形式审查通过, 专家评审中), their reviewers, and the actions."""

    template_name = "cases/admin/desk/assignments.html"
    header_icon = "group"
    desk_section = "assignments"
    per_page = 25

    def get_page_title(self):
        return _("评审分配")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        category = self.request.GET.get("category", "")
        page = Paginator(selectors.assignable_cases(campaign, category=category), self.per_page).get_page(
            self.request.GET.get("p")
        )
        cases = list(page.object_list)
        assignments = selectors.assignments_by_case(cases)
        pool = selectors.pool_reviewers(campaign)
        rows = []
        for case in cases:
            items = assignments.get(case.pk, [])
            taken = {a.reviewer_id for a in items}
            options = []
            for reviewer in pool:
                if reviewer.pk in taken:
                    continue
                conflict = assignment_service.conflict_reason(campaign, reviewer, case)
                options.append({"reviewer": reviewer, "label": reviewer_label(reviewer), "conflict": conflict})
            rows.append({
                "case": case,
                "assignments": [
                    {"a": a, "name": a.reviewer.get_display_name(),
                     "removable": a.status in (ReviewStatus.PENDING, ReviewStatus.DRAFT)}
                    for a in items
                ],
                "active": sum(1 for a in items if a.status != ReviewStatus.CONFLICT),
                "options": options,
            })
        context.update(
            rows=rows, page=page, k=campaign.reviewers_per_case, pool_size=len(pool),
            counts=selectors.review_stage_counts(campaign),
            categories=list(campaign.categories.all()), category=category,
            pool_url=reverse("desk:pool", args=[campaign.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        handlers = {"auto": self._auto, "add": self._add, "remove": self._remove, "start": self._start}
        handler = handlers.get(request.POST.get("operation", ""))
        if handler is None:
            messages.error(request, _("未知的操作。"))
            return self.redirect_here()
        return handler(request)

    def _auto(self, request):
        if not self.is_confirmed():
            return self.confirm(
                title=_("自动分配评审专家"),
                message=_("将为本活动每个“形式审查通过”或“专家评审中”的案例补足 %(k)d 位评审专家："
                          "避开同省、同单位的专家，平衡各专家的评审量，优先匹配专长。已有的分配不会改变。")
                % {"k": self.campaign.reviewers_per_case},
                details=[(_("待分配案例"), selectors.assignable_cases(self.campaign).count()),
                         (_("专家库人数"), selectors.pool_size(self.campaign))],
                confirm_label=_("开始自动分配"), cancel_url=request.get_full_path(),
            )
        try:
            report = assignment_service.auto_assign(campaign=self.campaign, by=request.user)
        except WorkflowError as exc:
            return self.refused(exc)
        context = self.get_context_data(report=report)
        if report.created:
            messages.success(request, _("已新分配 %(n)d 项评审任务。") % {"n": len(report.created)})
        elif not report.problems:
            messages.info(request, _("所有案例的评审专家都已足额，没有新的分配。"))
        if report.problems:
            messages.warning(request, _("有 %(n)d 个案例未能分配足额，原因见下方说明。") % {"n": len(report.problems)})
        return self.render_to_response(context)

    def _case(self, request) -> Case:
        return get_object_or_404(selectors.campaign_cases(self.campaign), pk=request.POST.get("case") or 0)

    def _add(self, request):
        case = self._case(request)
        reviewer_id = int_list([request.POST.get("reviewer")])
        if not reviewer_id:
            messages.error(request, _("请选择要分配的评审专家。"))
            return self.redirect_here()
        reviewer = get_object_or_404(selectors.reviewers(), pk=reviewer_id[0])
        try:
            assignment_service.add_assignment(case=case, reviewer=reviewer, by=request.user)
        except WorkflowError as exc:
            return self.refused(exc)
        messages.success(request, _("已为“%(title)s”分配评审专家 %(name)s。") % {"title": case.title, "name": reviewer.get_display_name()})
        return self.redirect_here()

    def _remove(self, request):
        item = get_object_or_404(selectors.campaign_assignments(self.campaign), pk=request.POST.get("assignment") or 0)
        name = item.reviewer.get_display_name()
        if not self.is_confirmed():
            return self.confirm(
                title=_("撤销评审分配"),
                message=_("撤销 %(name)s 对“%(title)s”的评审任务？") % {"name": name, "title": item.case.title},
                warning=_("该专家已保存的评分草稿将一并删除。") if item.status == ReviewStatus.DRAFT else "",
                confirm_label=_("确认撤销"), cancel_url=request.get_full_path(), destructive=True,
            )
        try:
            assignment_service.remove_assignment(assignment_id=item.pk, by=request.user)
        except WorkflowError as exc:
            return self.refused(exc)
        messages.success(request, _("已撤销 %(name)s 对“%(title)s”的评审任务。") % {"name": name, "title": item.case.title})
        return self.redirect_here()

    def _start(self, request):
        cases = list(case_selectors.cases_in_state(self.campaign, CaseStatus.ELIGIBLE))
        if not cases:
            messages.info(request, _("没有等待开始评审的案例。"))
            return self.redirect_here()
        eligible = {c.pk: c.title for c in cases}
        if not self.is_confirmed():
            seen = preview.outlook(cases=cases, name="start_review", by=request.user)
            return self.confirm(
                title=_("开始专家评审"),
                message=_("以下 %(n)d 个“形式审查通过”的案例将进入专家评审，评审专家随即可以评分：") % {"n": len(seen.changes)},
                items=[c.title for c in seen.changes], skipped=[(c.title, why) for c, why in seen.skips],
                confirm_label=_("确认开始评审（%(n)d 个）") % {"n": len(seen.changes)}, cancel_url=request.get_full_path(),
            )
        result = workflow.transition_many(case_ids=list(eligible), name="start_review", by=request.user)
        if result.done:
            messages.success(request, _("已有 %(n)d 个案例进入专家评审。") % {"n": len(result.done)})
        refusal_messages(request, result.refused, eligible)
        return self.redirect_here()
