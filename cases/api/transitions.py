"""The case lifecycle over HTTP: what I may do now, doing it, and the audit trail.

`workflow.transition` does every check (visibility, state, role, guards, reason) and raises
WorkflowErrors that carry the API status: 404 unknown name or invisible case, 409 wrong state
or stale `expected_status`, 403 wrong role, 400 failed guard or missing reason.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import permissions, workflow

from .base import CASE_ID, SignedInMixin, errors, visible_case_or_404
from .inputs import TransitionInputSerializer
from .serializers import HistorySerializer, TransitionResultSerializer, TransitionSerializer

# Inputs a transition may take besides its reason (API.md); anything else is not passed on.
EXTRA_INPUTS = ("rank", "tier", "deadline")
NAME = OpenApiParameter(
    "name", str, OpenApiParameter.PATH, enum=workflow.CASE_TRANSITIONS,
    description="操作名（DOMAIN.md §4）/ transition name",
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
        return Response(
            [{"name": s.name, "label": str(s.label), "requires_reason": s.requires_reason} for s in specs]
        )


class TransitionView(SignedInMixin, APIView):
    @extend_schema(
        tags=["workflow"], parameters=[CASE_ID, NAME],
        summary="执行操作 / perform a transition",
        description="退回、撤回、不予推荐等操作须填写 reason；expected_status 不符时返回 409。",
        request=TransitionInputSerializer,
        responses={200: TransitionResultSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int, name: str):
        form = TransitionInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        extra = {key: data[key] for key in EXTRA_INPUTS if data.get(key) is not None}
        case = workflow.transition(
            case=pk, name=name, by=request.user, reason=data.get("reason", ""),
            expected_status=data.get("expected_status") or None, **extra,
        )
        return Response({"id": case.pk, "status": case.status})


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
        if case is None:
            raise workflow.NotFound(_("未找到该案例，或您无权查看。"))
        return Response(HistorySerializer(workflow.history(case), many=True).data)
