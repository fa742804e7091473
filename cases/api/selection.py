"""The secretariat's selection: scores, ranking, reviewer assignment, 公示, publication, objections.

Every action is a service call (`cases.review.*`, `cases.notice`) that checks the role again and
raises WorkflowErrors carrying the API status. The views ask `cases.permissions` first only to
answer in the order docs/api.md §Conventions gives: 401, 404 (unknown or invisible), 403 (this role may not), 400.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound as DRFNotFound
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

import audit
from cases import notice, permissions
from cases.errors import Forbidden
from cases.models import Campaign, Case, Objection
from cases.models.review import ReviewStatus
from cases.review.assignment import auto_assign
from cases.review.ranking import ranking

from .base import CASE_ID, SignedInMixin, errors, visible_campaigns, visible_case_or_404
from .fields import SAFE_TOKEN, local_iso
from .pagination import PAGE_PARAMETERS, envelope, parse_paging
from .review_serializers import (
    AssignmentResultSerializer,
    CaseScoreSerializer,
    NoticeInputSerializer,
    NoticeResultSerializer,
    ObjectionSerializer,
    PublishResultSerializer,
    RankingResponseSerializer,
    RankingRowSerializer,
    RulingInputSerializer,
    RulingResultSerializer,
)

SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="征集活动标识 / campaign slug")
OBJECTION_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="异议编号 / objection id")


def require_staff(user, message: str) -> None:
    if not permissions.is_staff_role(user):
        raise Forbidden(message)


def campaign_or_404(user, slug: str) -> Campaign:
    campaign = visible_campaigns(user).filter(slug=slug).first() if SAFE_TOKEN.match(slug) else None
    if campaign is None:
        raise DRFNotFound(_("未找到该征集活动。"))
    return campaign


def refusals(refused) -> list[dict]:
    return [{"id": case.pk, "title": case.title, "detail": message} for case, message in refused]


class CaseScoresView(SignedInMixin, APIView):
    @extend_schema(
        tags=["selection"], parameters=[CASE_ID],
        summary="一件案例的全部评分 / every reviewer's scores of a case",
        description="仅组织方（能看到该案例的其他角色 403）。不含已回避的任务。",
        responses={200: CaseScoreSerializer(many=True), **errors(401, 403, 404)},
    )
    def get(self, request, pk: int):
        case = visible_case_or_404(request.user, pk)
        require_staff(request.user, _("只有组织方可以查看评分。"))
        assignments = (
            case.review_assignments.exclude(status=ReviewStatus.CONFLICT).select_related("reviewer").order_by("pk")
        )
        return Response(CaseScoreSerializer(assignments, many=True).data)


class CaseObjectionsView(SignedInMixin, APIView):
    @extend_schema(
        tags=["selection"], parameters=[CASE_ID],
        summary="一件案例收到的异议 / the objections to a case",
        description="仅组织方；含异议人的姓名和联系方式（个人信息，按规定期限后删除）。用其 id 处理异议。",
        responses={200: ObjectionSerializer(many=True), **errors(401, 403, 404)},
    )
    def get(self, request, pk: int):
        case = visible_case_or_404(request.user, pk)
        require_staff(request.user, _("只有组织方可以查看异议。"))
        objections = Objection.objects.filter(case=case).order_by("-created_at", "-pk")
        data = ObjectionSerializer(objections, many=True).data
        # Objectors' names and contacts leave the system here: audited like the other exports.
        audit.record("export", user=request.user, obj=case, request=request,
                     details={"export": "objections", "count": len(data)})
        return Response(data)


class RankingView(SignedInMixin, APIView):
    @extend_schema(
        tags=["selection"], parameters=[
            SLUG,
            OpenApiParameter("category", str, description="征集方向代码 / category code"),
            *PAGE_PARAMETERS,
        ],
        summary="评审排名 / the ranking",
        description="仅组织方。mean、trimmed_mean、normalised 的定义见 docs/domain.md §5；rank 按活动选定的计分方法"
                    "（aggregation）排出，并列同名次，无评分的排在最后（rank 为 null）。另含 min、max、stdev、disagreement。",
        responses={200: RankingResponseSerializer, **errors(400, 401, 403, 404)},
    )
    def get(self, request, slug: str):
        campaign = campaign_or_404(request.user, slug)
        category = request.query_params.get("category") or None
        if not permissions.is_staff_role(request.user):
            raise Forbidden(_("只有组织方可以查看评分和排名。"))
        # Compared in Python: odd input (e.g. NUL bytes) never reaches the database.
        if category and category not in set(campaign.categories.values_list("code", flat=True)):
            raise ValidationError({"category": [_("该征集活动没有代码为“%(code)s”的征集方向。") % {"code": category[:40]}]})
        rows = ranking(campaign=campaign, by=request.user, category_code=category)
        page, size = parse_paging(request.query_params)
        start = (page - 1) * size
        body = envelope(
            count=len(rows), page=page, page_size=size,
            results=RankingRowSerializer(rows[start : start + size], many=True).data,
            aggregation=campaign.aggregation,
        )
        return Response(body)


class AssignmentsView(SignedInMixin, APIView):
    @extend_schema(
        tags=["selection"], parameters=[SLUG], request=None,
        summary="自动分配评审专家 / assign reviewers automatically",
        description="为该活动形式审查通过及评审中的每件案例补足评审专家（回避同省、同单位，均衡工作量）；"
                    "不能补足的案例在 problems 中说明原因。仅组织方。",
        responses={200: AssignmentResultSerializer, **errors(401, 403, 404)},
    )
    def post(self, request, slug: str):
        campaign = campaign_or_404(request.user, slug)
        report = auto_assign(campaign=campaign, by=request.user)
        return Response({"created": len(report.created), "problems": report.problems})


class NoticeView(SignedInMixin, APIView):
    @extend_schema(
        tags=["selection"], parameters=[SLUG], request=NoticeInputSerializer,
        summary="开始公示 / open the public notice for every shortlisted case",
        description="所有拟入选的案例一起进入公示，公示期为活动设定的天数，至最后一天 23:59:59（北京时间）结束。"
                    "没有拟入选的案例时 400。仅组织方。",
        responses={200: NoticeResultSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request, slug: str):
        campaign = campaign_or_404(request.user, slug)
        require_staff(request.user, _("只有组织方可以开始公示。"))
        form = NoticeInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        report = notice.open_notice(campaign=campaign, by=request.user, start=form.validated_data.get("start"))
        ends = report.done[0].notice_ends if report.done else None
        return Response(
            {"opened": [c.pk for c in report.done], "refused": refusals(report.refused), "notice_ends": local_iso(ends)}
        )


class PublishView(SignedInMixin, APIView):
    @extend_schema(
        tags=["selection"], parameters=[SLUG], request=None,
        summary="发布公示期满的案例 / publish every case whose notice is over",
        description="公示期已结束且没有未处理异议的案例全部发布；其余案例在 refused 中逐件说明原因。仅组织方。",
        responses={200: PublishResultSerializer, **errors(401, 403, 404)},
    )
    def post(self, request, slug: str):
        campaign = campaign_or_404(request.user, slug)
        report = notice.publish_batch(campaign=campaign, by=request.user)
        return Response({"published": [c.pk for c in report.done], "refused": refusals(report.refused)})


class RulingView(SignedInMixin, APIView):
    @extend_schema(
        tags=["selection"], parameters=[OBJECTION_ID], request=RulingInputSerializer,
        summary="处理异议 / rule on an objection",
        description="upheld：异议成立，公示中的案例随即取消入选；dismissed：异议不成立。须填写核查结论；"
                    "结果通过电子邮件告知异议人。已处理的异议 409。仅组织方。",
        responses={200: RulingResultSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        require_staff(request.user, _("只有组织方可以处理异议。"))
        form = RulingInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        objection = notice.rule_objection(
            objection_id=pk, by=request.user, outcome=data["outcome"], conclusion=data.get("conclusion", "")
        )
        status = Case.objects.values_list("status", flat=True).get(pk=objection.case_id)
        return Response(
            {"id": objection.pk, "reference": objection.reference, "outcome": objection.outcome,
             "case": {"id": objection.case_id, "status": status}}
        )
