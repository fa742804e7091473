"""The public case endpoints under /api/v1/ (GET /cases, /cases/{id}).

search stands above cases: `SearchConfig.ready` adds these to cases' API through
`cases.extensions.add_api_patterns`, and cases/api/urls.py puts them before its catch-all.
"""

from django.urls import path

from cases.api import converters  # noqa: F401 (registers <id:…>)

from .api import PublicCaseDetailView, PublicCaseListView

urlpatterns = [
    path("cases", PublicCaseListView.as_view(), name="api-cases"),
    path("cases/<id:pk>", PublicCaseDetailView.as_view(), name="api-case"),
]
