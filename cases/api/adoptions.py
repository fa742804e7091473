"""POST /api/v1/cases/{id}/adoptions: another region reports that it adopted a published case.

The rules (who may report, which cases, the checks on the text) are `cases.adoptions`'s; the
admin's report form calls the same service.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.adoptions import report_adoption
from cases.models import Adoption

from .base import CASE_ID, SignedInMixin, errors
from .fields import TextField
from .inputs import StrictSerializer


class AdoptionInputSerializer(StrictSerializer):
    """借鉴推广报告 / an adoption report."""

    summary = TextField(max_length=1000, help_text="借鉴了哪些做法（10 至 1000 字，必填）")
    since = TextField(max_length=10, help_text="开始借鉴的日期，如 2026-03-01（必填，不晚于今天）")
    results = TextField(max_length=1000, help_text="取得成效（选填，不超过 1000 字）")


class AdoptionReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField()
    region = serializers.CharField(help_text="报告单位所在地区代码")
    since = serializers.DateField()


class AdoptionCreateView(SignedInMixin, APIView):
    @extend_schema(
        tags=["public"], parameters=[CASE_ID], operation_id="cases_adoptions_create",
        summary="报告借鉴推广情况 / report an adoption of a published case",
        description="其他地区的申报单位或推荐单位报告借鉴了某个已发布案例。每个地区对一个案例只有一份报告："
                    "报告人再次提交即修改自己的报告（200），本地区其他账号提交：409。本地区的案例：400；"
                    "其他角色：403；未发布或不存在的案例：404；提交过于频繁：429。组织方可以隐藏报告。",
        request=AdoptionInputSerializer,
        responses={201: AdoptionReceiptSerializer, 200: AdoptionReceiptSerializer,
                   **errors(400, 401, 403, 404, 409, 429)},
    )
    def post(self, request, pk: int):
        form = AdoptionInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        mine = Adoption.objects.filter(case_id=pk, reported_by=request.user, hidden=False).exists()
        adoption = report_adoption(
            case_id=pk, by=request.user, since=data.get("since") or None,
            summary=data.get("summary", ""), results=data.get("results", ""),
        )
        return Response(
            {"id": adoption.pk, "case": adoption.case_id, "region": adoption.region.code,
             "since": adoption.since.isoformat()},
            status=status.HTTP_200_OK if mine else status.HTTP_201_CREATED,
        )
