"""GET /api/v1/cases (the public library's search) and GET /api/v1/cases/{id} (docs/api.md §Public endpoints).

The list answers from `search.service.search_cases`, so it shows published cases only and
says which backend answered. The detail also serves a case in public notice (公示), as the
notice pages need; never contact details, and only what an anonymous visitor may open.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import case_fields, permissions
from cases.adoptions import public_adoptions
from cases.api.base import CASE_ID, errors
from cases.api.fields import BlankAsNullField, LocalDateTimeField, local_iso
from cases.api.pagination import PAGE_PARAMETERS, envelope
from cases.api.public import PublicMixin
from cases.api.serializers import (
    IMAGE_SPEC,
    CampaignRefSerializer,
    IndicatorSerializer,
    RegionRefSerializer,
    TierRefSerializer,
)
from cases.models import Case
from cases.states import CaseStatus

from .params import query_from_params
from .query import MAX_QUERY_LENGTH, SORTS, QueryError, SearchQuery
from .service import search_cases

DETAIL_STATES = (CaseStatus.PUBLISHED, CaseStatus.IN_NOTICE)


def case_url(case_id: int) -> str:
    """The public case page's path."""
    return f"/cases/{case_id}/"


class SearchHighlightSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="标题，HTML 转义后用 <mark> 标出命中 / escaped, matches in <mark>")
    text = serializers.CharField(help_text="摘要或正文片段，同上 / a fragment of the summary or body, same")


class PublicCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    region = RegionRefSerializer()
    province = RegionRefSerializer()
    campaign = CampaignRefSerializer()
    tier = TierRefSerializer(allow_null=True)
    scenarios = serializers.ListField(child=serializers.CharField())
    task_area = BlankAsNullField()
    key_groups = serializers.ListField(child=serializers.CharField())
    published_at = LocalDateTimeField(allow_null=True)
    url = serializers.SerializerMethodField(help_text="公开案例页面的路径 / the public case page")

    def get_url(self, case: Case) -> str:
        # A case in 公示 has no case page yet: its public page is the notice page.
        if case.status == CaseStatus.IN_NOTICE:
            return reverse("website:notice", args=[case.pk])
        return case_url(case.pk)


class PublicCaseHitSerializer(PublicCaseSerializer):
    highlight = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()

    @extend_schema_field(SearchHighlightSerializer)
    def get_highlight(self, case: Case) -> dict:
        return self.context.get("highlights", {}).get(case.pk, {})

    @extend_schema_field({"type": "array", "items": {"type": "string"},
                          "description": "部分匹配时，本案例缺少的检索词（全部匹配时为空）/ "
                                         "the query's words this case lacks (a partial match)"})
    def get_missing(self, case: Case) -> list[str]:
        return list(self.context.get("missing", {}).get(case.pk, ()))


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}],
                      "description": "代码（year 为整数）/ the code (an integer for year)"})
class FacetCodeField(serializers.Field):
    def to_representation(self, value):
        return value


class FacetValueSerializer(serializers.Serializer):
    value = FacetCodeField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class CaseFacetsSerializer(serializers.Serializer):
    province = FacetValueSerializer(many=True)
    scenario = FacetValueSerializer(many=True)
    task = FacetValueSerializer(many=True)
    group = FacetValueSerializer(many=True)
    campaign = FacetValueSerializer(many=True)
    tier = FacetValueSerializer(many=True)
    year = FacetValueSerializer(many=True)


class CaseSearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = PublicCaseHitSerializer(many=True)
    facets = CaseFacetsSerializer()
    backend = serializers.ChoiceField(choices=["elasticsearch", "database"])
    corrected_query = serializers.CharField(
        allow_blank=True,
        help_text="同音错字纠正后实际检索的词（结果即为它的结果）；未纠正时为空字符串。重新请求时加 correct=0 可按原词检索 / "
                  "the homophone-corrected text these results answer, or \"\"; correct=0 searches the text as typed",
    )
    suggested_query = serializers.CharField(
        allow_blank=True,
        help_text="“您要找的是”：建议的纠正词（结果仍是原词的结果）；没有建议时为空字符串 / a suggested correction, or \"\"",
    )
    missing_words = serializers.ListField(
        child=serializers.CharField(),
        help_text="任何已发布案例中都没有的检索词 / the query's words that no published case contains",
    )


class PublicImageSerializer(serializers.Serializer):
    url = serializers.CharField()
    alt = serializers.CharField()


class PublicAttachmentSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()


class AdoptionSerializer(serializers.Serializer):
    region = RegionRefSerializer()
    since = serializers.DateField()
    summary = serializers.CharField()
    results = serializers.CharField()


class PublicCaseDetailSerializer(PublicCaseSerializer):
    organisation = serializers.CharField()
    organisation_type = BlankAsNullField()
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    special_project = BlankAsNullField()
    locals().update(case_fields.serializer_fields(serializers.CharField))  # the body sections, in order
    indicators = IndicatorSerializer(many=True, source="indicators.all")
    images = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    adoptions = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    notice_ends = serializers.SerializerMethodField()

    @extend_schema_field(PublicImageSerializer(many=True))
    def get_images(self, case: Case) -> list[dict]:
        anonymous = AnonymousUser()
        return [
            {"url": reverse("case_files:image", args=[image.pk, IMAGE_SPEC]), "alt": image.alt}
            for image in case.images.all()
            if permissions.can_view_image(anonymous, image)
        ]

    @extend_schema_field(PublicAttachmentSerializer(many=True))
    def get_attachments(self, case: Case) -> list[dict]:
        return [
            {"title": a.title, "url": reverse("case_files:attachment", args=[a.pk])}
            for a in permissions.visible_attachments(AnonymousUser(), case)
        ]

    @extend_schema_field(AdoptionSerializer(many=True))
    def get_adoptions(self, case: Case) -> list[dict]:
        """Reports of other regions taking the practice up (hidden ones left out)."""
        return AdoptionSerializer(public_adoptions(case), many=True).data

    @extend_schema_field({"type": "string", "enum": [str(s) for s in DETAIL_STATES]})
    def get_status(self, case: Case) -> str:
        return case.status

    @extend_schema_field({**build_basic_type(OpenApiTypes.DATETIME), "nullable": True})
    def get_notice_ends(self, case: Case) -> str | None:
        return local_iso(getattr(case, "notice_ends", None)) if case.status == CaseStatus.IN_NOTICE else None


# --- views -----------------------------------------------------------------------------

LIST_PARAMETERS = [
    OpenApiParameter("q", str, description=f"检索词，最多 {MAX_QUERY_LENGTH} 字；按字面检索，没有查询语法 / free text"),
    OpenApiParameter("province", str, many=True, description="省级区划代码，可重复 / province code, repeatable"),
    OpenApiParameter("scenario", str, many=True, description="应用场景代码，可重复 / scenario"),
    OpenApiParameter("task", str, many=True, description="主要任务代码，可重复 / task area"),
    OpenApiParameter("group", str, many=True, description="重点群体代码，可重复 / key group"),
    OpenApiParameter("campaign", str, many=True, description="征集活动标识，可重复 / campaign slug"),
    OpenApiParameter("tier", str, many=True, description="入选等级代码，可重复 / tier code"),
    OpenApiParameter("year", int, many=True, description="年度，可重复 / year"),
    OpenApiParameter("sort", str, enum=list(SORTS), description="relevance（默认）或 newest / order"),
    *PAGE_PARAMETERS,
    OpenApiParameter("correct", int, enum=[0, 1],
                     description="0：按原词检索，不做同音错字纠正（默认 1）/ 0: no homophone correction"),
]


def parse_query(params) -> SearchQuery:
    """The request's parameters as a `SearchQuery` (the one public parser, `search.params`);
    bad input is a 400 with a Chinese message under the parameter's name."""
    try:
        return query_from_params(params)
    except QueryError as exc:
        raise ValidationError({exc.field: [exc.message]}) from None


class PublicCaseListView(PublicMixin, APIView):
    @extend_schema(
        tags=["public"], operation_id="cases_search", summary="检索已发布案例 / search published cases",
        parameters=LIST_PARAMETERS,
        description="同一参数重复表示“或”，不同参数之间为“且”；各维度的分面计数不受该维度自身筛选的影响。",
        responses={200: CaseSearchResponseSerializer, **errors(400, 429)},
    )
    def get(self, request):
        query = parse_query(request.query_params)
        try:
            results = search_cases(query)
        except QueryError as exc:
            raise ValidationError({exc.field: [exc.message]}) from None
        cases = Case.objects.filter(pk__in=results.case_ids, status=CaseStatus.PUBLISHED).select_related(
            "region", "province", "campaign", "tier"
        )
        by_id = {case.pk: case for case in cases}
        ordered = [by_id[cid] for cid in results.case_ids if cid in by_id]
        context = {
            "request": request,
            "highlights": {h.case_id: h.highlight for h in results.hits},
            "missing": {h.case_id: h.missing for h in results.hits},
        }
        facets = {
            dim: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
            for dim, values in results.facets.items()
        }
        body = envelope(
            count=results.total, page=query.page, page_size=query.page_size,
            results=PublicCaseHitSerializer(ordered, many=True, context=context).data,
            facets=facets, backend=results.backend, corrected_query=results.corrected_query,
            suggested_query=results.suggested_query, missing_words=list(results.missing_words),
        )
        return Response(body)


class PublicCaseDetailView(PublicMixin, APIView):
    @extend_schema(
        tags=["public"], operation_id="cases_retrieve",
        summary="已发布或公示中的案例 / a published case, or one in public notice",
        parameters=[CASE_ID], responses={200: PublicCaseDetailSerializer, **errors(404)},
    )
    def get(self, request, pk: int):
        case = (
            Case.objects.filter(pk=pk, status__in=DETAIL_STATES)
            .select_related("region", "province", "campaign", "tier")
            .prefetch_related("indicators", "images")
            .first()
        )
        if case is None:
            raise NotFound(_("未找到该案例，或您无权查看。"))
        return Response(PublicCaseDetailSerializer(case, context={"request": request}).data)
