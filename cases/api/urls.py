"""/api/v1/: the JSON API of docs/api.md (paths literal)."""

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from .. import extensions
from . import (  # noqa: F401 (converters registers <id:…>)
    adoptions,
    auth,
    converters,
    docs,
    files,
    me,
    notices,
    public,
    reviews,
    schema,
    selection,
    submissions,
    transitions,
)
from .middleware import json_error, no_route_message


@csrf_exempt  # it changes nothing: a POST to an unknown path is a 404, not a CSRF 403
def not_found(request, rest: str = ""):
    """Unknown paths under /api/ answer in JSON too (not the site's HTML page or a slash redirect)."""
    return json_error(404, no_route_message())


api_patterns = [
    path("auth/token", auth.TokenView.as_view(), name="api-token"),
    path("me", me.MeView.as_view(), name="api-me"),
    path("submissions", submissions.SubmissionListView.as_view(), name="api-submissions"),
    path("submissions/<id:pk>", submissions.SubmissionDetailView.as_view(), name="api-submission"),
    path("submissions/<id:pk>/images", files.ImageListView.as_view(), name="api-submission-images"),
    path("submissions/<id:pk>/images/<id:image_id>", files.ImageDetailView.as_view(), name="api-submission-image"),
    path("submissions/<id:pk>/attachments", files.AttachmentListView.as_view(), name="api-submission-attachments"),
    path(
        "submissions/<id:pk>/attachments/<id:att_id>",
        files.AttachmentDetailView.as_view(),
        name="api-submission-attachment",
    ),
    path("submissions/<id:pk>/transitions", transitions.TransitionListView.as_view(), name="api-transitions"),
    path("submissions/<id:pk>/transitions/<str:name>", transitions.TransitionView.as_view(), name="api-transition"),
    path("submissions/<id:pk>/history", transitions.HistoryView.as_view(), name="api-history"),
    path("submissions/<id:pk>/scores", selection.CaseScoresView.as_view(), name="api-submission-scores"),
    path("submissions/<id:pk>/objections", selection.CaseObjectionsView.as_view(), name="api-submission-objections"),
    path("campaigns", public.CampaignListView.as_view(), name="api-campaigns"),
    path("campaigns/<str:slug>", public.CampaignDetailView.as_view(), name="api-campaign"),
    path("campaigns/<str:slug>/ranking", selection.RankingView.as_view(), name="api-campaign-ranking"),
    path("campaigns/<str:slug>/assignments", selection.AssignmentsView.as_view(), name="api-campaign-assignments"),
    path("campaigns/<str:slug>/notice", selection.NoticeView.as_view(), name="api-campaign-notice"),
    path("campaigns/<str:slug>/publish", selection.PublishView.as_view(), name="api-campaign-publish"),
    path("objections/<id:pk>/ruling", selection.RulingView.as_view(), name="api-objection-ruling"),
    path("regions", public.RegionListView.as_view(), name="api-regions"),
    path("reviews", reviews.ReviewListView.as_view(), name="api-reviews"),
    path("reviews/<id:pk>", reviews.ReviewDetailView.as_view(), name="api-review"),
    path("reviews/<id:pk>/conflict", reviews.ConflictView.as_view(), name="api-review-conflict"),
    path("notices", notices.NoticeListView.as_view(), name="api-notices"),
    # Beside GET /cases and /cases/{id} (search/urls_api.py, added below): a different path, no overlap.
    path("cases/<id:pk>/objections", notices.ObjectionCreateView.as_view(), name="api-case-objections"),
    path("cases/<id:pk>/adoptions", adoptions.AdoptionCreateView.as_view(), name="api-case-adoptions"),
    # The endpoints of the apps above cases (search's public cases, similarity's reports), which
    # they register from their AppConfig.ready (cases/extensions.py): the URLconf is read after.
    *extensions.api_patterns(),
]
# The schema and its reader are not endpoints of the contract, so they stay out of the schema.
urlpatterns = api_patterns + [
    path("openapi.json", schema.SchemaView.as_view(), name="api-schema"),
    path("docs", docs.docs, name="api-docs"),
    re_path(r"^(?P<rest>.*)$", not_found),
]
