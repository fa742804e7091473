"""The 查重 endpoints under /api/v1/ (docs/api.md): `SimilarityConfig.ready` adds them to cases'
API through `cases.extensions.add_api_patterns` (similarity stands above cases)."""

from django.urls import path

from cases.api import converters  # noqa: F401 (registers <id:…>)

from . import api

urlpatterns = [
    path("submissions/<id:pk>/similarity", api.SimilarityView.as_view(), name="api-submission-similarity"),
    path("similarity/self-check", api.SelfCheckView.as_view(), name="api-similarity-self-check"),
]
