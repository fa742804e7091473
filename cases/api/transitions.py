"""The case lifecycle over HTTP: what I may do now, doing it, and the audit trail.

`workflow.transition` does every check (visibility, state, role, guards, reason) and raises
WorkflowErrors that carry the API status: 404 unknown name or invisible case, 409 wrong state
or stale `expected_status`, 403 wrong role, 400 failed guard or missing reason.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import notice, permissions, workflow

from .base import CASE_ID, SignedInMixin, errors, visible_case_or_404
from .fields import local_iso
from .inputs import TransitionInputSerializer
from .review_serializers import TransitionOutcomeSerializer
from .serializers import HistorySerializer, TransitionSerializer

# Inputs a transition may take besides its reason (docs/api.md §Signed in: cases); anything else is not passed on.
EXTRA_INPUTS = ("rank", "tier")
# Not a state change: the secretariat moves one case's own submission deadline (workflow.grant_extension).
EXTEND_DEADLINE = "extend_deadline"
EXTEND_LABEL = gettext_lazy("批准延期")
NAME = OpenApiParameter(
    "name", str, OpenApiParameter.PATH, enum=[*workflow.CASE_TRANSITIONS, EXTEND_DEADLINE],
    description="操作名（docs/domain.md §4），另有 extend_deadline（批准延期，需 deadline）/ transition name",
)


class TransitionListView(SignedInMixin, APIView):
    @extend_schema(
        tags=["workflow"], parameters=[CASE_ID],
        summary="我现在可以执行的操作 / transitions I may perform now",
        responses={200: TransitionSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request, pk: int):
        case = visible_case_or_404(request.user, pk)
        specs = workflow.available_transitions(case, request.user)
        listed = [{"name": s.name, "label": str(s.label), "requires_reason": s.requires_reason} for s in specs]
        if permissions.can_grant_extension(request.user, case):
            listed.append({"name": EXTEND_DEADLINE, "label": str(EXTEND_LABEL), "requires_reason": False})
        return Response(listed)


class TransitionView(SignedInMixin, APIView):
    @extend_schema(
        tags=["workflow"], parameters=[CASE_ID, NAME],
        summary="执行操作 / perform a transition",
        description="退回、撤回、不予推荐等操作须填写 reason；expected_status 不符时返回 409。"
                    "recommend 可带 rank，shortlist 须带 tier；open_notice 的公示期按活动设定的天数自今天起算。"
                    "extend_deadline（仅组织方，草稿或退回修改的案例）须带 deadline，返回 deadline_extension。",
        request=TransitionInputSerializer,
        responses={200: TransitionOutcomeSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int, name: str):
        form = TransitionInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if name == EXTEND_DEADLINE:
            return self.extend_deadline(request, pk, data)
        extra = {key: data[key] for key in EXTRA_INPUTS if data.get(key) is not None}
        if name == "open_notice":
            extra.update(self.notice_window(request.user, pk))
        case = workflow.transition(
            case=pk, name=name, by=request.user, reason=data.get("reason", ""),
            expected_status=data.get("expected_status") or None, **extra,
        )
        return Response({"id": case.pk, "status": case.status})

    @staticmethod
    def notice_window(user, pk: int) -> dict:
        """The campaign's window from today, as the batch opening uses (nothing if the case is invisible)."""
        case = permissions.visible_cases(user).select_related("campaign").filter(pk=pk).first()
        if case is None:
            return {}  # the transition answers 404
        starts, ends = notice.notice_window(case.campaign)
        return {"notice_starts": starts, "notice_ends": ends}

    @staticmethod
    def extend_deadline(request, pk: int, data: dict) -> Response:
        case = visible_case_or_404(request.user, pk)
        expected = data.get("expected_status")
        if expected and case.status != expected:
            raise workflow.InvalidState(
                _("案例状态已变为“%(now)s”，请刷新后重试。") % {"now": case.get_status_display()}
            )
        if not permissions.is_staff_role(request.user):
            raise workflow.Forbidden(_("只有组织方可以批准延期。"))
        if data.get("deadline") is None:
            raise ValidationError({"deadline": [_("请填写新的截止时间，如 2026-11-23T18:00:00+08:00。")]})
        case = workflow.grant_extension(
            case=case.pk, by=request.user, deadline=data["deadline"], reason=data.get("reason", "")
        )
        return Response({"id": case.pk, "status": case.status, "deadline_extension": local_iso(case.deadline_extension)})


class HistoryView(SignedInMixin, APIView):
    @extend_schema(
        tags=["workflow"], parameters=[CASE_ID],
        summary="流转记录 / the case's history",
        description="仅对参与该案例工作的用户（本地区申报单位、本省推荐单位、组织方）可见。",
        responses={200: HistorySerializer(many=True), **errors(401, 404)},
    )
    def get(self, request, pk: int):
        # The audit trail (who acted, their reasons) belongs to the people working on the case, not to
        # every reader of a published one: other regions get the same 404 as for a hidden case.
        case = permissions.working_cases(request.user).filter(pk=pk).first()
        if case is None or not permissions.can_view_history(request.user, case):
            raise workflow.NotFound(_("未找到该案例，或您无权查看。"))
        return Response(HistorySerializer(workflow.history(case), many=True).data)
