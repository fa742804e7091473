"""Public reference data: campaigns and regions (no sign-in needed)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from cases.models import Region
from regions.models import RegionLevel

from .base import ApiMixin, errors, visible_campaigns
from .fields import SAFE_TOKEN
from .inputs import RegionFilterSerializer
from .serializers import CampaignSerializer, RegionSerializer


class PublicMixin(ApiMixin):
    permission_classes = [AllowAny]


@extend_schema_view(
    get=extend_schema(
        tags=["public"], summary="征集活动列表 / campaigns",
        description="筹备中（draft）的活动只对组织方可见。",
        responses={200: CampaignSerializer(many=True), **errors(400)},
    )
)
class CampaignListView(PublicMixin, generics.ListAPIView):
    serializer_class = CampaignSerializer

    def get_queryset(self):
        return visible_campaigns(self.request.user).order_by("-year", "-batch", "title", "pk")


@extend_schema_view(
    get=extend_schema(
        tags=["public"], summary="征集活动 / a campaign",
        parameters=[OpenApiParameter("slug", str, OpenApiParameter.PATH, description="征集活动标识 / slug")],
        responses={200: CampaignSerializer, **errors(404)},
    )
)
class CampaignDetailView(PublicMixin, generics.RetrieveAPIView):
    serializer_class = CampaignSerializer

    def get_object(self):
        slug = self.kwargs["slug"]
        campaign = visible_campaigns(self.request.user).filter(slug=slug).first() if SAFE_TOKEN.match(slug) else None
        if campaign is None:
            raise NotFound(_("未找到该征集活动。"))
        return campaign


@extend_schema_view(
    get=extend_schema(
        tags=["public"], summary="行政区划 / regions (GB/T 2260)",
        parameters=[
            OpenApiParameter("level", str, enum=RegionLevel.values, description="级别 / level"),
            OpenApiParameter("parent", str, description="上级地区代码 / parent code, e.g. 440000"),
        ],
        responses={200: RegionSerializer(many=True), **errors(400)},
    )
)
class RegionListView(PublicMixin, generics.ListAPIView):
    serializer_class = RegionSerializer

    def get_queryset(self):
        filters = RegionFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        qs = Region.objects.order_by("code")
        if level := filters.validated_data.get("level"):
            qs = qs.filter(level=level)
        if parent := filters.validated_data.get("parent"):
            qs = qs.filter(parent=parent)
        return qs
