"""/api/v1/submissions/{id}/similarity and /api/v1/similarity/self-check (docs/similarity.md, docs/api.md).

Order of answers as everywhere in the API: 401, 404 (unknown or not visible), 403 (this role
may not), 400/409. The services and `cases.permissions` decide; these views only translate.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import permissions
from cases.api.base import CASE_ID, SignedInMixin, errors, visible_case_or_404
from cases.api.fields import LocalDateTimeField, TextField, local_iso
from cases.api.inputs import BodySerializer
from cases.errors import Forbidden, InvalidState
from cases.models.cases import LIMITS
from cases.states import CaseStatus

from . import selectors, services
from .texts import CHECKED_FIELDS


class PassageSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="被检测文本中的重合片段 / the matched passage")
    start = serializers.IntegerField(help_text="在被检测文本中的起点（含）")
    end = serializers.IntegerField(help_text="终点（不含）")
    source_start = serializers.IntegerField(allow_null=True, help_text="在来源文本中的起点；不可见来源为 null")
    source_end = serializers.IntegerField(allow_null=True)


class SourceSerializer(serializers.Serializer):
    case = serializers.IntegerField(allow_null=True, help_text="来源案例编号；政策文本或不可见案例为 null")
    title = serializers.CharField(help_text="不可见的来源显示为“其他省份未公开案例”")
    # Plain text rather than an enum: attachments have a `kind` enum of their own (no name clash).
    kind = serializers.CharField(help_text="case（案例）| policy（政策文本）")
    same_organisation = serializers.BooleanField()
    ratio = serializers.FloatField(help_text="该来源占被检测文本的比例，0-1")
    status = serializers.CharField(allow_null=True, help_text="来源案例的状态（可见时）")
    passages = PassageSerializer(many=True)


class ReportSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["pending", "ready"])
    checked_at = LocalDateTimeField(allow_null=True)
    version = serializers.IntegerField(help_text="第几次提交的版本")
    total_ratio = serializers.FloatField(allow_null=True, help_text="总文字复制比，0-1")
    max_single_ratio = serializers.FloatField(allow_null=True, help_text="单篇最大文字复制比")
    ratio_excluding_own = serializers.FloatField(allow_null=True, help_text="去除本单位文字复制比")
    ratio_excluding_policy = serializers.FloatField(allow_null=True, help_text="去除政策引文复制比")
    ratio_other_units = serializers.FloatField(allow_null=True, help_text="去除政策引文和本单位后的复制比（提示依据）")
    flagged = serializers.BooleanField(help_text="他单位案例复制比达到活动设定的提示阈值")
    same_organisation_flagged = serializers.BooleanField(help_text="与本单位案例重合达到阈值（疑似重复申报）")
    threshold = serializers.FloatField()
    min_run = serializers.IntegerField()
    sources = SourceSerializer(many=True)


class SelfCheckInputSerializer(BodySerializer):
    # The texts to check (as on the case form); other case fields are ignored.
    organisation = TextField(max_length=LIMITS["organisation"])

    def get_fields(self):
        fields = super().get_fields()
        for name in CHECKED_FIELDS:
            fields[name] = TextField(max_length=LIMITS[name] if name in LIMITS else None)
        return fields


def _shape(view: dict) -> dict:
    """The API's shape of a report view: ratios as numbers, the timestamp with its offset."""
    out = {key: value for key, value in view.items() if key != "sources"}
    out["checked_at"] = local_iso(view["checked_at"])
    out["sources"] = [
        {key: source[key] for key in ("case", "title", "kind", "same_organisation", "ratio", "status", "passages")}
        for source in view["sources"]
    ]
    return out


class SimilarityView(SignedInMixin, APIView):
    @extend_schema(
        tags=["similarity"], parameters=[CASE_ID],
        summary="查重报告 / the similarity report of a submitted case",
        description="组织方看全部；推荐单位看本省案例的报告，其无权查看的来源只计入比例、显示为“其他省份未公开案例”；"
                    "评审专家 403（匿名评审）；申报单位 403（请用自查）。草稿 409。",
        responses={200: ReportSerializer, **errors(401, 403, 404, 409)},
    )
    def get(self, request, pk: int):
        case = visible_case_or_404(request.user, pk)
        if not permissions.can_view_similarity(request.user, case):
            raise Forbidden(_("您的角色无权查看查重报告。"))
        if case.status == CaseStatus.DRAFT:
            raise InvalidState(_("草稿尚未提交，还没有查重报告。"))
        report = selectors.latest_report(case) or services.request_check(case=case)
        return Response(_shape(selectors.report_view(request.user, report)))

    @extend_schema(
        tags=["similarity"], parameters=[CASE_ID], request=None,
        summary="重新查重 / queue a new check (secretariat)",
        responses={202: ReportSerializer, **errors(401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        visible_case_or_404(request.user, pk)
        report = services.rerun(case_id=pk, by=request.user)
        report.refresh_from_db()
        return Response(_shape(selectors.report_view(request.user, report)), status=202)


class SelfCheckView(SignedInMixin, APIView):
    @extend_schema(
        tags=["similarity"], request=SelfCheckInputSerializer,
        summary="自查 / self-check a text against published cases and policy texts",
        description="仅申报单位。只与已发布案例和政策文本比对，结果不保存。",
        responses={200: ReportSerializer, **errors(400, 401, 403)},
    )
    def post(self, request):
        if not permissions.can_self_check(request.user):
            raise Forbidden(_("只有申报单位可以自查。"))
        form = SelfCheckInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        result = services.self_check(by=request.user, values=form.validated_data)
        return Response(_shape(selectors.result_view(request.user, result)))
