"""评审专家库 (secretariat): the campaign's reviewer pool — add reviewers (chosen, or every one
without a conflict), change a member's expertise and load cap, remove a member. The writes are
`cases.review.pool`'s; the reads `cases.review.selectors`' and the pool service's."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from ..errors import WorkflowError
from ..models import ReviewerPoolMember
from ..review import pool as pool_service
from ..review import selectors
from ..taxonomies import Scenario, TaskArea, label_of
from .common import AdminPage, CampaignDeskMixin
from .display import reviewer_label
from .review_forms import AddPoolMemberForm, PoolMemberForm


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
        names = "、".join(r.get_display_name() for r in reviewers)
        messages.success(request, _("已将 %(names)s 加入专家库。") % {"names": names})
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
        member = get_object_or_404(selectors.pool_members(self.campaign), pk=request.POST.get("member") or 0)
        name = member.reviewer.get_display_name()
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
        return get_object_or_404(selectors.pool_members(self.campaign), pk=self.member_id)

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
        messages.success(request, _("已保存 %(name)s 的专长和评审上限。") % {"name": member.reviewer.get_display_name()})
        return HttpResponseRedirect(reverse("desk:pool", args=[self.campaign.pk]))
