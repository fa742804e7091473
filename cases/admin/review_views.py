"""Expert review in the admin: the campaign's reviewer pool and assignments (secretariat), and a
reviewer's 我的评审 list and scoring page.

Reviewers reach only their own assignments of cases they may see (`permissions.visible_cases`):
anything else is a 404. No page here shows another reviewer's scores or comments.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from accounts.roles import Role

from .. import permissions, preview, workflow
from ..errors import GuardFailed, WorkflowError
from ..models import Case, ReviewAssignment, ReviewerPoolMember, ReviewStatus
from ..review import assignment as assignment_service
from ..review import pool as pool_service
from ..review.scoring import save_review, validate_scores
from ..states import CaseStatus
from ..taxonomies import Scenario, TaskArea, label_of
from . import display
from .common import AdminPage, CampaignDeskMixin, int_list, refusal_messages

# --- reviewer pool (评审专家库) ---------------------------------------------------------------


def _name(user) -> str:
    return user.get_full_name() or user.username


def reviewer_label(user) -> str:
    name = user.get_full_name() or user.username
    region = user.region.full_name if user.region_id else _("未设地区")
    org = f" · {user.organisation}" if user.organisation else ""
    return f"{name}（{user.username}） · {region}{org}"


class PoolMemberForm(forms.Form):
    expertise_scenarios = forms.MultipleChoiceField(
        label=gettext_lazy("擅长场景"), choices=Scenario.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    expertise_tasks = forms.MultipleChoiceField(
        label=gettext_lazy("擅长任务"), choices=TaskArea.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    load_cap = forms.IntegerField(
        label=gettext_lazy("评审上限（件）"), min_value=1, max_value=1000, initial=30,
        help_text=gettext_lazy("本活动中最多分配给该专家的案例数。"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class AddPoolMemberForm(PoolMemberForm):
    """One or several reviewers at once; the expertise and cap apply to each (editable later)."""

    reviewers = forms.MultipleChoiceField(
        label=gettext_lazy("评审专家（可多选）"), widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("只列出尚未加入本活动专家库的评审专家账号。"),
    )

    field_order = ["reviewers", "expertise_scenarios", "expertise_tasks", "load_cap"]

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(u.pk): u for u in pool_service.available_reviewers(campaign)}
        self.fields["reviewers"].choices = [(pk, reviewer_label(u)) for pk, u in self.candidates.items()]
        self.fields["reviewers"].error_messages.update(
            required=_("请至少选择一位评审专家。"), invalid_choice=_("请选择列表中的评审专家（列表可能已变化，请重新选择）。"),
        )


class PoolView(CampaignDeskMixin, AdminPage):
    template_name = "cases/admin/desk/pool.html"
    header_icon = "group"
    desk_section = "pool"

    def get_page_title(self):
        return _("评审专家库")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AddPoolMemberForm(campaign=self.campaign))
        usable, _excluded = pool_service.sort_candidates(self.campaign)
        context["usable_count"] = len(usable)
        rows = pool_service.members_with_load(self.campaign)
        context.update(
            rows=[
                {
                    "row": r,
                    "label": reviewer_label(r.member.reviewer),
                    "scenarios": "、".join(label_of(Scenario, s) for s in r.member.expertise_scenarios) or "—",
                    "tasks": "、".join(label_of(TaskArea, t) for t in r.member.expertise_tasks) or "—",
                    "edit_url": reverse("desk:pool_member", args=[self.campaign.pk, r.member.pk]),
                }
                for r in rows
            ],
            k=self.campaign.reviewers_per_case,
        )
        return context

    def post(self, request, *args, **kwargs):
        operation = request.POST.get("operation")
        if operation == "remove":
            return self._remove(request)
        if operation == "add_all":
            return self._add_all(request)
        form = AddPoolMemberForm(request.POST, campaign=self.campaign)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        reviewers = [form.candidates[pk] for pk in form.cleaned_data["reviewers"]]
        try:
            pool_service.add_members(
                campaign=self.campaign, reviewers=reviewers, by=request.user,
                expertise_scenarios=form.cleaned_data["expertise_scenarios"],
                expertise_tasks=form.cleaned_data["expertise_tasks"], load_cap=form.cleaned_data["load_cap"],
            )
        except WorkflowError as exc:
            return self.refused(exc)
        messages.success(request, _("已将 %(names)s 加入专家库。") % {"names": "、".join(_name(r) for r in reviewers)})
        return self.redirect_here()

    def _add_all(self, request):
        """Every available reviewer who could review at least one case, after a confirmation naming them."""
        usable, excluded = pool_service.sort_candidates(self.campaign)
        if not self.is_confirmed():
            return self.confirm(
                title=_("加入全部无回避冲突的专家"),
                message=_("以下 %(n)d 位评审专家将加入专家库（评审上限 30 件，专长可随后逐一编辑）：") % {"n": len(usable)},
                items=[reviewer_label(r) for r in usable], skipped=[(reviewer_label(r), why) for r, why in excluded],
                confirm_label=_("确认加入（%(n)d 位）") % {"n": len(usable)}, cancel_url=request.get_full_path(),
            )
        if not usable:
            messages.info(request, _("没有可以加入的评审专家。"))
            return self.redirect_here()
        try:
            pool_service.add_members(campaign=self.campaign, reviewers=usable, by=request.user)
        except WorkflowError as exc:
            return self.refused(exc)
        messages.success(request, _("已将 %(n)d 位评审专家加入专家库。") % {"n": len(usable)})
        return self.redirect_here()

    def _remove(self, request):
        member = get_object_or_404(
            ReviewerPoolMember.objects.select_related("reviewer"), pk=request.POST.get("member") or 0, campaign=self.campaign
        )
        name = member.reviewer.get_full_name() or member.reviewer.username
        if not self.is_confirmed():
            return self.confirm(
                title=_("移出专家库"),
                message=_("将 %(name)s 移出“%(campaign)s”的评审专家库？") % {"name": name, "campaign": self.campaign.title},
                warning=_("移出后不再参与自动分配；已分配给该专家的评审任务不受影响，如需撤销请在“评审分配”中操作。"),
                confirm_label=_("确认移出"), cancel_url=request.get_full_path(), destructive=True,
            )
        try:
            pool_service.remove_member(member_id=member.pk, by=request.user)
        except WorkflowError as exc:
            return self.refused(exc)
        messages.success(request, _("已将 %(name)s 移出专家库。") % {"name": name})
        return self.redirect_here()


class PoolMemberView(CampaignDeskMixin, AdminPage):
    """Change one member's expertise and load cap."""

    template_name = "cases/admin/desk/pool_member.html"
    header_icon = "user"
    desk_section = "pool"

    def dispatch(self, request, campaign_id: int, member_id: int, *args, **kwargs):
        self.member_id = member_id
        return super().dispatch(request, campaign_id, member_id, *args, **kwargs)

    def get_member(self) -> ReviewerPoolMember:
        return get_object_or_404(
            ReviewerPoolMember.objects.select_related("reviewer__region__province"), pk=self.member_id, campaign=self.campaign
        )

    def get_page_title(self):
        return _("编辑专家库成员")

    def get_crumbs(self):
        return super().get_crumbs() + [(reverse("desk:pool", args=[self.campaign.pk]), _("评审专家库"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.get_member()
        context.setdefault("form", PoolMemberForm(initial={
            "expertise_scenarios": member.expertise_scenarios, "expertise_tasks": member.expertise_tasks,
            "load_cap": member.load_cap,
        }))
        context.update(member=member, label=reviewer_label(member.reviewer),
                       cancel_url=reverse("desk:pool", args=[self.campaign.pk]))
        return context

    def post(self, request, *args, **kwargs):
        member = self.get_member()
        form = PoolMemberForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            pool_service.update_member(member_id=member.pk, by=request.user, **form.cleaned_data)
        except WorkflowError as exc:
            return self.refused(exc)
        messages.success(request, _("已保存 %(name)s 的专长和评审上限。") % {"name": member.reviewer.get_full_name() or member.reviewer.username})
        return HttpResponseRedirect(reverse("desk:pool", args=[self.campaign.pk]))


# --- assignments (评审分配) ------------------------------------------------------------------


class AssignmentsView(CampaignDeskMixin, AdminPage):
    """Cases that can get reviewers (形式审查通过, 专家评审中), their reviewers, and the actions."""

    template_name = "cases/admin/desk/assignments.html"
    header_icon = "group"
    desk_section = "assignments"
    per_page = 25

    def get_page_title(self):
        return _("评审分配")

    def cases(self):
        qs = (
            Case.objects.filter(campaign=self.campaign, status__in=assignment_service.ASSIGNABLE_STATES)
            .select_related("region__province", "category")
            .order_by("status", "category__sort_order", "pk")
        )
        category = self.request.GET.get("category", "")
        if category:
            qs = qs.filter(category__code=category)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        page = Paginator(self.cases(), self.per_page).get_page(self.request.GET.get("p"))
        cases = list(page.object_list)
        assignments: dict[int, list[ReviewAssignment]] = {}
        for a in ReviewAssignment.objects.filter(case__in=cases).select_related("reviewer__region__province").order_by("pk"):
            assignments.setdefault(a.case_id, []).append(a)
        pool = [m.reviewer for m in ReviewerPoolMember.objects.filter(campaign=campaign).select_related("reviewer__region__province")]
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
                    {"a": a, "name": a.reviewer.get_full_name() or a.reviewer.username,
                     "removable": a.status in (ReviewStatus.PENDING, ReviewStatus.DRAFT)}
                    for a in items
                ],
                "active": sum(1 for a in items if a.status != ReviewStatus.CONFLICT),
                "options": options,
            })
        counts = {
            "eligible": Case.objects.filter(campaign=campaign, status=CaseStatus.ELIGIBLE).count(),
            "in_review": Case.objects.filter(campaign=campaign, status=CaseStatus.IN_REVIEW).count(),
        }
        context.update(
            rows=rows, page=page, k=campaign.reviewers_per_case, pool_size=len(pool), counts=counts,
            categories=list(campaign.categories.all()), category=self.request.GET.get("category", ""),
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
                details=[(_("待分配案例"), Case.objects.filter(campaign=self.campaign, status__in=assignment_service.ASSIGNABLE_STATES).count()),
                         (_("专家库人数"), ReviewerPoolMember.objects.filter(campaign=self.campaign).count())],
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
        return get_object_or_404(Case.objects.select_related("campaign"), pk=request.POST.get("case") or 0, campaign=self.campaign)

    def _add(self, request):
        case = self._case(request)
        reviewer_id = int_list([request.POST.get("reviewer")])
        if not reviewer_id:
            messages.error(request, _("请选择要分配的评审专家。"))
            return self.redirect_here()
        reviewer = get_object_or_404(get_user_model(), pk=reviewer_id[0], role=Role.REVIEWER)
        try:
            assignment_service.add_assignment(case=case, reviewer=reviewer, by=request.user)
        except WorkflowError as exc:
            return self.refused(exc)
        messages.success(request, _("已为“%(title)s”分配评审专家 %(name)s。") % {"title": case.title, "name": reviewer.get_full_name() or reviewer.username})
        return self.redirect_here()

    def _remove(self, request):
        item = get_object_or_404(
            ReviewAssignment.objects.select_related("case", "reviewer"), pk=request.POST.get("assignment") or 0, case__campaign=self.campaign
        )
        name = item.reviewer.get_full_name() or item.reviewer.username
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
        cases = list(Case.objects.filter(campaign=self.campaign, status=CaseStatus.ELIGIBLE).order_by("pk"))
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


# --- a reviewer's own work (我的评审) ---------------------------------------------------------


class ReviewerOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if permissions.role_of(request.user) != Role.REVIEWER:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def my_assignments(self):
        """Own assignments of cases the reviewer may see; a declared conflict ends the assignment."""
        user = self.request.user
        return (
            ReviewAssignment.objects.filter(reviewer=user, case__in=permissions.visible_cases(user))
            .exclude(status=ReviewStatus.CONFLICT)
            .select_related("case__campaign", "case__category", "case__region__province")
        )


def local(dt, campaign):
    return timezone.localtime(dt, campaign.tzinfo) if dt else None


class MyReviewsView(ReviewerOnlyMixin, AdminPage):
    template_name = "cases/admin/reviews/index.html"
    header_icon = "clipboard-list"

    def get_page_title(self):
        return _("我的评审")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        order = {ReviewStatus.PENDING: 0, ReviewStatus.DRAFT: 1, ReviewStatus.FINAL: 2}
        items = sorted(self.my_assignments(), key=lambda a: (order.get(a.status, 3), a.case.campaign.review_deadline or now, a.pk))
        context["rows"] = [
            {
                "a": a, "case": a.case, "deadline": local(a.case.campaign.review_deadline, a.case.campaign),
                "overdue": bool(a.case.campaign.review_deadline and a.case.campaign.review_deadline < now
                                and a.status != ReviewStatus.FINAL),
                "url": reverse("reviews:score", args=[a.pk]),
            }
            for a in items
        ]
        context["pending"] = sum(1 for a in items if a.status != ReviewStatus.FINAL and a.case.status == CaseStatus.IN_REVIEW)
        return context


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("评审意见"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": "3000", "data-limit": "3000"}),
        help_text=gettext_lazy("写明案例的亮点和不足；组织方可能将意见匿名反馈给申报单位。"),
    )

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for c in rubric:
            self.fields[f"score_{c.code}"] = forms.IntegerField(
                label=f"{c.name}（0–{c.max_score} 分）", required=False, min_value=0, max_value=c.max_score,
                help_text=c.description,
                widget=forms.NumberInput(attrs={"min": 0, "max": c.max_score, "step": 1, "inputmode": "numeric"}),
                error_messages={
                    "invalid": _("请填写整数。"),
                    "min_value": _("分数不能小于 0。"),
                    "max_value": _("分数不能超过 %(max)d。") % {"max": c.max_score},
                },
            )
        self.order_fields([f"score_{c.code}" for c in rubric] + ["comment"])

    def scores(self) -> dict[str, int]:
        return {c.code: self.cleaned_data.get(f"score_{c.code}") for c in self.rubric
                if self.cleaned_data.get(f"score_{c.code}") is not None}

    def score_fields(self):
        return [self[f"score_{c.code}"] for c in self.rubric]


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("回避理由"), max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": "300"}),
        help_text=gettext_lazy("如：曾参与该项目的指导或评估、与申报单位有工作关系等。"),
        error_messages={"required": gettext_lazy("请说明回避理由。")},
    )


class ScoreView(ReviewerOnlyMixin, AdminPage):
    """One assignment: the case read-only (no contacts; organisation hidden where the campaign says
    so), the rubric, and save draft / submit final (after a confirmation) / declare a conflict."""

    template_name = "cases/admin/reviews/score.html"
    header_icon = "form"

    def dispatch(self, request, pk: int, *args, **kwargs):
        self.pk = pk
        return super().dispatch(request, pk, *args, **kwargs)

    def get_assignment(self) -> ReviewAssignment:
        return get_object_or_404(self.my_assignments(), pk=self.pk)

    def get_page_title(self):
        return _("评分")

    def get_page_subtitle(self):
        return self.assignment.case.title

    def get_crumbs(self):
        return [(reverse("reviews:index"), _("我的评审"))]

    def get(self, request, *args, **kwargs):
        self.assignment = self.get_assignment()
        return super().get(request, *args, **kwargs)

    def rubric(self):
        return list(self.assignment.case.campaign.rubric.all())

    def initial(self) -> dict:
        a = self.assignment
        return {"comment": a.comment, **{f"score_{code}": v for code, v in (a.scores or {}).items()}}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        a, user = self.assignment, self.request.user
        case, campaign = a.case, a.case.campaign
        rubric = self.rubric()
        editable = a.status in (ReviewStatus.PENDING, ReviewStatus.DRAFT) and case.status == CaseStatus.IN_REVIEW
        context.setdefault("form", ScoreForm(rubric=rubric, initial=self.initial()))
        context.setdefault("conflict_form", ConflictForm(prefix="conflict"))
        show_organisation = permissions.can_view_organisation(user, case)
        context.update(
            assignment=a, case=case, campaign=campaign, editable=editable,
            criteria=[{"c": c, "score": (a.scores or {}).get(c.code)} for c in rubric],
            rubric_total=sum(c.max_score for c in rubric),
            deadline=local(campaign.review_deadline, campaign),
            overdue=bool(campaign.review_deadline and campaign.review_deadline < timezone.now()),
            finalised_at=local(a.finalised_at, campaign),
            basic_fields=display.basic_fields(case, show_organisation=show_organisation),
            body=[(Case._meta.get_field(f).verbose_name, getattr(case, f)) for f in display.BODY_FIELDS],
            indicators=list(case.indicators.all()),
            images=[img for img in case.images.select_related("case", "image") if permissions.can_view_image(user, img)],
            attachments=list(permissions.visible_attachments(user, case)),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.assignment = self.get_assignment()
        action = request.POST.get("action", "")
        if action == "conflict":
            return self._conflict(request)
        form = ScoreForm(request.POST, rubric=self.rubric())
        if not form.is_valid():
            messages.error(request, _("评分未能保存，请按提示修改。"))
            return self.render_to_response(self.get_context_data(form=form))
        scores, comment = form.scores(), form.cleaned_data["comment"]
        final = action == "final"
        if final and not self.is_confirmed():
            try:
                clean = validate_scores(self.rubric(), scores, final=True)
            except GuardFailed as exc:
                form.add_error(None, exc.message)
                return self.render_to_response(self.get_context_data(form=form))
            return self.confirm(
                title=_("确认提交评分"),
                message=_("您将提交对“%(title)s”的评分：") % {"title": self.assignment.case.title},
                items=[f"{c.name}：{clean[c.code]} / {c.max_score}" for c in self.rubric()]
                + [_("总分：%(total)d") % {"total": sum(clean.values())}],
                warning=_("提交后不能修改。"),
                confirm_label=_("确认提交"), cancel_url=request.get_full_path(),
            )
        try:
            save_review(assignment_id=self.assignment.pk, by=request.user, scores=scores, comment=comment, final=final)
        except WorkflowError as exc:
            if exc.status == 404:
                raise Http404(exc.message) from exc
            messages.error(request, exc.message)
            self.assignment = self.get_assignment()
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("评分已提交，感谢您的评审。") if final else _("评分草稿已保存。"))
        return HttpResponseRedirect(reverse("reviews:index") if final else request.get_full_path())

    def _conflict(self, request):
        form = ConflictForm(request.POST, prefix="conflict")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(conflict_form=form))
        if not self.is_confirmed():
            return self.confirm(
                title=_("声明回避"),
                message=_("您将声明回避“%(title)s”的评审。") % {"title": self.assignment.case.title},
                details=[(_("回避理由"), form.cleaned_data["reason"])],
                warning=_("声明后该评审任务结束，您将不能再查看该案例，组织方会另行安排专家；此操作不能撤销。"),
                confirm_label=_("确认回避"), cancel_url=request.get_full_path(), destructive=True,
            )
        try:
            assignment_service.declare_conflict(assignment_id=self.assignment.pk, by=request.user, reason=form.cleaned_data["reason"])
        except WorkflowError as exc:
            if exc.status == 404:
                raise Http404(exc.message) from exc
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())
        messages.success(request, _("已声明回避，组织方将另行安排评审专家。"))
        return HttpResponseRedirect(reverse("reviews:index"))
