"""公示 for the public: the cases now in notice, and objections (异议) to them, in the objector's real name.

The list comes from `cases.notice.noticed_cases` (never contact details); an objection goes
through `cases.notice.submit_objection`, which decides 404 (never public), 400 (published, or
the notice is over, or a field is invalid) and stores the evidence file after checking it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, parsers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import notice

from .base import CASE_ID, SafeJSONParser, errors
from .fields import SAFE_TOKEN
from .public import PublicMixin
from .review_serializers import NoticeItemSerializer, ObjectionInputSerializer, ObjectionReceiptSerializer
from .serializers import ErrorSerializer


@extend_schema_view(
    get=extend_schema(
        tags=["public"], summary="公示中的案例 / cases now in public notice",
        description="公示期内可对案例实名提出异议（POST /cases/{id}/objections）。不含联系人信息。",
        parameters=[OpenApiParameter("campaign", str, description="征集活动标识 / campaign slug")],
        responses={200: NoticeItemSerializer(many=True), **errors(400)},
    )
)
class NoticeListView(PublicMixin, generics.ListAPIView):
    serializer_class = NoticeItemSerializer

    def get_queryset(self):
        qs = notice.noticed_cases().order_by("notice_ends", "pk")
        if slug := self.request.query_params.get("campaign"):
            if not SAFE_TOKEN.match(slug):
                raise ValidationError({"campaign": [_("征集活动标识格式不正确。")]})
            qs = qs.filter(campaign__slug=slug)
        return qs


class ObjectionCreateView(PublicMixin, APIView):
    parser_classes = [SafeJSONParser, parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(
        tags=["public"], parameters=[CASE_ID], operation_id="cases_objections_create",
        summary="对公示中的案例提出异议 / object to a case in notice",
        description="实名：姓名、联系电话、电子邮箱、理由（10 至 3000 字）必填；可附证明材料（multipart 的 evidence）。"
                    "个人信息仅用于核查和告知处理结果，按规定期限后删除。已发布或公示期已结束：400；从未公开的案例：404。",
        request={"application/json": ObjectionInputSerializer, "multipart/form-data": ObjectionInputSerializer},
        responses={
            201: ObjectionReceiptSerializer, **errors(400, 404, 507),
            # security.middleware.RateLimitMiddleware counts objections per address (RATE_LIMITS).
            429: OpenApiResponse(ErrorSerializer, description="请求过于频繁 / rate limited"),
        },
    )
    def post(self, request, pk: int):
        form = ObjectionInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        objection = notice.submit_objection(
            case_id=pk, name=data.get("name", ""), phone=data.get("phone", ""), email=data.get("email", ""),
            reason=data.get("reason", ""), evidence=data.get("evidence"),
        )
        return Response({"reference": objection.reference}, status=status.HTTP_201_CREATED)
