"""The signed-in side of cases: the user's working list, creating drafts, reading and editing.

Thin: the list comes from `permissions.working_cases`, creation from `workflow.create_draft`,
edits from `editing.update_case`; their WorkflowErrors and ValidationErrors become the
API's 403/404/409/400 in `errors.exception_handler`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import editing, permissions, workflow
from cases.states import CaseStatus

from .base import CASE_ID, SignedInMixin, errors, visible_campaigns, visible_case_or_404
from .inputs import CaseCreateSerializer, CaseUpdateSerializer, SubmissionFilterSerializer
from .serializers import CaseDetailSerializer, CaseListItemSerializer


def case_response(request, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The full case as `request.user` may see it (contacts and attachments per permissions)."""
    case = visible_case_or_404(request.user, pk)
    return Response(CaseDetailSerializer(case, context={"request": request}).data, status=status_code)


@extend_schema_view(
    get=extend_schema(
        tags=["submissions"],
        summary="我的工作案例 / the cases I work on",
        description="申报单位：本地区及下辖地区的案例；推荐单位：本省已提交及以后的案例；组织方：全部。",
        parameters=[
            OpenApiParameter("status", str, many=True, explode=True, enum=CaseStatus.values,
                             description="按状态筛选，可重复（或）/ repeatable, OR"),
            OpenApiParameter("campaign", str, description="征集活动标识 / campaign slug"),
        ],
        responses={200: CaseListItemSerializer(many=True), **errors(400, 401)},
    ),
    post=extend_schema(
        tags=["submissions"],
        summary="创建草稿 / create a draft",
        description="只需 campaign、title、region；其余内容可在提交前补充。status 等由流转操作决定的字段会被拒绝（400）。",
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer, **errors(400, 401, 403)},
    ),
)
class SubmissionListView(SignedInMixin, generics.ListCreateAPIView):
    serializer_class = CaseListItemSerializer

    def get_queryset(self):
        filters = SubmissionFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        qs = (
            permissions.working_cases(self.request.user)
            .select_related("region", "province", "campaign", "category")
            .order_by("-updated_at", "-pk")
        )
        if statuses := filters.validated_data.get("status"):
            qs = qs.filter(status__in=statuses)
        if campaign := filters.validated_data.get("campaign"):
            qs = qs.filter(campaign__slug=campaign)
        return qs

    def create(self, request, *args, **kwargs):
        user = request.user
        if not permissions.can_create_case(user):
            raise workflow.Forbidden(_("只有申报单位可以创建案例。"))
        form = CaseCreateSerializer(data=request.data, context={"campaigns": visible_campaigns(user)})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        campaign, title, region = data.pop("campaign"), data.pop("title"), data.pop("region")
        if not permissions.can_create_case(user, region):
            raise ValidationError({"region": [_("只能选择本地区及下辖地区。")]})
        case = workflow.create_draft(by=user, campaign=campaign, title=title, region=region, **data)
        return case_response(request, case.pk, status_code=status.HTTP_201_CREATED)


class SubmissionDetailView(SignedInMixin, APIView):
    @extend_schema(
        tags=["submissions"], parameters=[CASE_ID],
        summary="案例详情 / a case",
        description="联系人信息仅对组织方及本案例的申报、推荐单位可见，否则为 null。",
        responses={200: CaseDetailSerializer, **errors(401, 404)},
    )
    def get(self, request, pk: int):
        return case_response(request, pk)

    @extend_schema(
        tags=["submissions"], parameters=[CASE_ID],
        summary="修改案例 / edit a case",
        description="部分更新；给出 indicators 时整体替换。只有草稿或退回修改的案例可编辑（否则 409）。",
        request=CaseUpdateSerializer,
        responses={200: CaseDetailSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def patch(self, request, pk: int):
        with transaction.atomic():
            # Who may edit and in which state comes first: 404, 403, 409, then the input's 400.
            case = editing.lock_for_edit(case=pk, by=request.user)
            form = CaseUpdateSerializer(data=request.data, context={"campaign": case.campaign})
            form.is_valid(raise_exception=True)
            data = dict(form.validated_data)
            indicators = data.pop("indicators", None)
            editing.update_case(case=case, by=request.user, data=data, indicators=indicators)
        return case_response(request, pk)
