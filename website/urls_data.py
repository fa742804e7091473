"""Open data and generated documents: CSV, feeds, sitemap, statistics, compilations."""

from django.urls import path

from .opendata import csv_export, feeds, sitemaps, views

app_name = "opendata"
urlpatterns = [
    path("cases.csv", csv_export.cases_csv, name="cases_csv"),
    path("feeds/cases.xml", feeds.cases_feed, name="feed"),
    path("sitemap.xml", sitemaps.sitemap_view, name="sitemap"),
    path("stats/", views.stats_page, name="stats"),
    path("campaigns/<slug:slug>/compilation.pdf", views.compilation_pdf, name="compilation"),
]
