"""The public case endpoints, for `cases/api/urls.py` to include under /api/v1/.

    from search.urls_api import urlpatterns as search_patterns
    api_patterns = [..., *search_patterns]   # before the catch-all `not_found`
"""

from django.urls import path, register_converter

from cases.api.public_cases import PublicCaseDetailView, PublicCaseListView


class CaseIdConverter:
    """Digits that fit a 64-bit integer: a huge number is a 404, not a database overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(CaseIdConverter, "case_id")

urlpatterns = [
    path("cases", PublicCaseListView.as_view(), name="api-cases"),
    path("cases/<case_id:pk>", PublicCaseDetailView.as_view(), name="api-case"),
]
