"""The reviewer's side: my assignments, one case as I may see it with the rubric, scoring, 回避.

Rules live in the services: `cases.review.scoring.save_review` (ranges, finality, the case's
state) and `cases.review.assignment.declare_conflict` (and the reassignment it triggers); what a
reviewer may see of a case comes from `cases.permissions`. An assignment that is not mine is a
404, exactly like one that does not exist.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import Role
from cases import permissions
from cases.errors import Forbidden, NotFound
from cases.models import ReviewAssignment
from cases.models.review import ReviewStatus
from cases.review.assignment import declare_conflict
from cases.review.scoring import save_review

from .base import SignedInMixin, errors
from .review_serializers import (
    ConflictInputSerializer,
    ConflictResultSerializer,
    ReviewDetailSerializer,
    ReviewFilterSerializer,
    ReviewInputSerializer,
    ReviewListItemSerializer,
)

REVIEW_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="评审任务编号 / assignment id")


def require_reviewer(user) -> None:
    if permissions.role_of(user) != Role.REVIEWER:
        raise Forbidden(_("只有评审专家可以使用评审接口。"))


def my_assignment(user, pk: int) -> ReviewAssignment:
    """The reviewer's own assignment; anyone else's (or none) is the same 404."""
    require_reviewer(user)
    assignment = (
        ReviewAssignment.objects.select_related("case__campaign").filter(pk=pk, reviewer=user).first()
    )
    if assignment is None:
        raise NotFound(_("未找到该评审任务。"))
    return assignment


def review_response(request, assignment: ReviewAssignment) -> Response:
    """The assignment with its case as this reviewer may see it (never contacts, never others' scores)."""
    case = (
        permissions.visible_cases(request.user)
        .select_related("region", "province", "campaign", "category")
        .prefetch_related("indicators", "images")
        .filter(pk=assignment.case_id)
        .first()
    )
    if case is None:
        if assignment.status == ReviewStatus.CONFLICT:
            raise NotFound(_("您已声明回避该案例，不能再查看其内容。"))
        raise NotFound(_("该案例已不在评审范围内，您不能再查看。"))
    context = {"request": request, "case": case}
    return Response(ReviewDetailSerializer(assignment, context=context).data)


@extend_schema_view(
    get=extend_schema(
        tags=["reviews"],
        summary="我的评审任务 / my review assignments",
        description="仅评审专家可用（其他角色 403）。已回避的任务也列出，状态为 conflict。",
        parameters=[
            OpenApiParameter("status", str, many=True, explode=True, enum=ReviewStatus.values,
                             description="按状态筛选，可重复（或）/ repeatable, OR"),
        ],
        responses={200: ReviewListItemSerializer(many=True), **errors(400, 401, 403)},
    )
)
class ReviewListView(SignedInMixin, generics.ListAPIView):
    serializer_class = ReviewListItemSerializer

    def get_queryset(self):
        require_reviewer(self.request.user)
        filters = ReviewFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        user = self.request.user
        # Cases the reviewer may no longer see (e.g. disqualified) drop out, as in the admin's list;
        # declared conflicts stay listed (documented above).
        qs = (
            ReviewAssignment.objects.filter(reviewer=user)
            .filter(Q(case__in=permissions.visible_cases(user)) | Q(status=ReviewStatus.CONFLICT))
            .select_related("case__campaign")
            .order_by("-assigned_at", "-pk")
        )
        if statuses := filters.validated_data.get("status"):
            qs = qs.filter(status__in=statuses)
        return qs


class ReviewDetailView(SignedInMixin, APIView):
    @extend_schema(
        tags=["reviews"], parameters=[REVIEW_ID],
        summary="评审一件案例 / one assignment: the case, the rubric and my review",
        description="案例内容不含联系人信息；活动设置隐去申报单位时 organisation 为 null。看不到其他专家的评分。"
                    "不是我的评审任务：404。",
        responses={200: ReviewDetailSerializer, **errors(401, 403, 404)},
    )
    def get(self, request, pk: int):
        return review_response(request, my_assignment(request.user, pk))

    @extend_schema(
        tags=["reviews"], parameters=[REVIEW_ID],
        summary="保存或提交评分 / save or submit my review",
        description="每项分数为 0 至该项满分的整数；final 为 true 时须各项都打分，提交后不能修改（409）。"
                    "案例不在评审阶段时 409。最后一份评分提交后，案例自动完成评审。",
        request=ReviewInputSerializer,
        responses={200: ReviewDetailSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def put(self, request, pk: int):
        my_assignment(request.user, pk)
        form = ReviewInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        assignment = save_review(
            assignment_id=pk, by=request.user, scores=data["scores"], comment=data.get("comment", ""),
            final=data.get("final", False),
        )
        return review_response(request, assignment)


class ConflictView(SignedInMixin, APIView):
    @extend_schema(
        tags=["reviews"], parameters=[REVIEW_ID],
        summary="声明回避 / declare a conflict of interest",
        description="须填写理由。回避后该案例自动改派给其他专家（专家库允许时），您不再能查看该案例。",
        request=ConflictInputSerializer,
        responses={200: ConflictResultSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        my_assignment(request.user, pk)
        form = ConflictInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        report = declare_conflict(assignment_id=pk, by=request.user, reason=form.validated_data.get("reason", ""))
        return Response({"id": pk, "status": ReviewStatus.CONFLICT, "reassigned": len(report.created)})
