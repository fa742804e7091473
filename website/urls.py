"""Public pages served by views (the library, case pages, notices); Wagtail serves the rest."""

from django.urls import path  # noqa: F401  (routes are added as pages land)

app_name = "website"
urlpatterns: list = []
