"""Open data and generated documents: CSV, feeds, sitemap, statistics, compilations."""

from django.urls import path  # noqa: F401  (routes are added as pages land)

app_name = "opendata"
urlpatterns: list = []
