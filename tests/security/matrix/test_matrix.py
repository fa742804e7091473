"""The access-control matrix (issue 8): every URL pattern × every role × one object per class.

docs/security-matrix.md explains what it covers and how to read a failure.
"""

from .base import MatrixTestCase
from .checks_cases import COVERS, CaseRouteChecks
from .checks_files import FileRouteChecks
from .checks_pages import PageRouteChecks
from .checks_similarity import SimilarityChecks
from .checks_writes import WriteChecks
from .urls import OBJECT_ROUTES, classify, walk

# Object routes exercised outside checks_cases.COVERS (by the check named).
COVERED_ELSEWHERE = {
    "files/attachments/<int:pk>/": "FileRouteChecks.test_case_files",
    "files/images/<int:pk>/<str:spec>/": "FileRouteChecks.test_case_files",
    "documents/^(\\d+)/(.*)$": "FileRouteChecks.test_case_files / test_objection_evidence",
    "api/v1/submissions/<id:pk>/images/<id:image_id>": "FileRouteChecks.test_case_files",
    "api/v1/submissions/<id:pk>/attachments/<id:att_id>": "FileRouteChecks.test_case_files",
    "api/v1/objections/<id:pk>/ruling": "FileRouteChecks.test_objection_evidence",
    "admin/desk/objections/<int:pk>/": "FileRouteChecks.test_objection_evidence",
    "admin/desk/objections/<int:pk>/evidence/": "FileRouteChecks.test_objection_evidence",
    "api/v1/reviews/<id:pk>": "PageRouteChecks.test_review_routes",
    "api/v1/reviews/<id:pk>/conflict": "PageRouteChecks.test_review_routes",
    "admin/reviews/<int:pk>/": "PageRouteChecks.test_review_routes",
    "admin/adoptions/<int:pk>/": "PageRouteChecks.test_adoption_moderation",
    "admin/accounts/<int:pk>/edit/": "PageRouteChecks.test_account_routes",
    "admin/accounts/<int:pk>/<slug:operation>/": "PageRouteChecks.test_account_routes",
    "admin/similarity/<int:pk>/source/<int:source_id>/": "SimilarityChecks.test_similarity_source_pages",
}


def test_every_url_pattern_is_classified():
    """A new URL fails here until it is added to tests/security/matrix/urls.py (and exercised)."""
    unclassified = [f"{p.route}  ({p.name or 'no name'})" for p in walk() if classify(p) is None]
    assert not unclassified, "URL patterns the access matrix does not know:\n" + "\n".join(unclassified)
    routes = {p.route for p in walk()}
    stale = sorted(set(OBJECT_ROUTES) - routes)
    assert not stale, f"classified routes that no longer exist: {stale}"


def test_every_object_route_is_exercised():
    campaign_routes = {r for r, kind in OBJECT_ROUTES.items() if kind == "campaign"}  # test_campaign_routes
    covered = set(COVERS) | set(COVERED_ELSEWHERE) | campaign_routes
    missing = sorted(set(OBJECT_ROUTES) - covered)
    assert not missing, f"object routes no check exercises: {missing}"


class TestAccessMatrix(
    CaseRouteChecks, FileRouteChecks, PageRouteChecks, SimilarityChecks, WriteChecks, MatrixTestCase
):
    pass
