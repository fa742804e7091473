"""Public pages served by views (the library, case pages, campaigns, notices, display switch).

The home page, /about/ and /privacy/ are Wagtail pages, served by Wagtail's catch-all.
"""

from django.urls import path

from . import library_views, notice_views, views

app_name = "website"
urlpatterns = [
    path("cases/", library_views.library, name="library"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign"),
    path("notices/", notice_views.notice_list, name="notices"),
    path("notices/lookup/", notice_views.objection_lookup, name="objection_lookup"),
    path("notices/<int:pk>/", notice_views.notice_detail, name="notice"),
    path("notices/<int:pk>/received/", notice_views.objection_received, name="objection_received"),
    path("display/", views.display_switch, name="display"),
]
