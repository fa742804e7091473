"""The OpenAPI document of /api/v1/ only (not Wagtail's own admin API), with stable enum names."""

from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings
from drf_spectacular.views import SpectacularJSONAPIView

from .base import ApiMixin

# Case, campaign and review states share the field name `status` (and objections' outcomes and
# the two a ruling may give share `outcome`): name their enums explicitly.
SCHEMA_SETTINGS = {
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.states.CaseStatus",
        "CampaignStatusEnum": "cases.states.CampaignStatus",
        "ReviewStatusEnum": "cases.models.review.ReviewStatus",
        "ObjectionOutcomeEnum": "cases.models.objections.ObjectionOutcome",
        "RulingOutcomeEnum": "cases.api.review_serializers.RULING_OUTCOMES",
    },
}


def api_patterns() -> list:
    """Our URL patterns under their public prefix; imported late because urls.py imports the views."""
    from django.urls import include, path

    # In the function: urls imports this module's SchemaView (a cycle).
    from . import urls

    return [path("api/v1/", include(urls.api_patterns))]


def build_schema(request=None) -> dict:
    with patched_settings(SCHEMA_SETTINGS):
        return SchemaGenerator(patterns=api_patterns()).get_schema(request=request, public=True)


class SchemaView(ApiMixin, SpectacularJSONAPIView):
    custom_settings = SCHEMA_SETTINGS

    def get(self, request, *args, **kwargs):
        self.patterns = api_patterns()
        return super().get(request, *args, **kwargs)
