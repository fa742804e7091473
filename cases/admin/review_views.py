"""我的评审: a reviewer's own assignments and the scoring page (save a draft, submit the scores
after a confirmation, or declare a conflict). The pool and the assignments, the secretariat's
side of review, are `pool_views` and `assignment_views`.

Reviewers reach only their own assignments of cases they may see (`permissions.visible_cases`):
anything else is a 404. No page here shows another reviewer's scores or comments.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages

from accounts.roles import Role

from .. import permissions
from ..errors import GuardFailed, WorkflowError
from ..models import Case, ReviewAssignment, ReviewStatus
from ..review import assignment as assignment_service
from ..review import selectors
from ..review.scoring import save_review, validate_scores
from ..states import CaseStatus
from . import display
from .common import AdminPage, raise_if_not_found
from .review_forms import ConflictForm, ScoreForm


class ReviewerOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if permissions.role_of(request.user) != Role.REVIEWER:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def my_assignments(self):
        return selectors.my_assignments(self.request.user)


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
            images=selectors.visible_images(user, case),
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
            raise_if_not_found(exc)
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
            raise_if_not_found(exc)
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())
        messages.success(request, _("已声明回避，组织方将另行安排评审专家。"))
        return HttpResponseRedirect(reverse("reviews:index"))
