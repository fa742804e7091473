"""The public case endpoints, for `cases/api/urls.py` to include under /api/v1/.

    from search.urls_api import urlpatterns as search_patterns
    api_patterns = [..., *search_patterns]   # before the catch-all `not_found`
"""

from django.urls import path

from cases.api import converters  # noqa: F401 (registers <id:…>)
from cases.api.public_cases import PublicCaseDetailView, PublicCaseListView

urlpatterns = [
    path("cases", PublicCaseListView.as_view(), name="api-cases"),
    path("cases/<id:pk>", PublicCaseDetailView.as_view(), name="api-case"),
]
