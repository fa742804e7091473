"""Admin URLs of 查重 (registered under /admin/similarity/ by similarity/wagtail_hooks.py)."""

from django.urls import path

from . import admin_views

urlpatterns = [
    path("<int:pk>/", admin_views.ReportView.as_view(), name="report"),
    path("<int:pk>/source/<int:source_id>/", admin_views.SourceView.as_view(), name="source"),
    path("<int:pk>/report.pdf", admin_views.ReportPdfView.as_view(), name="pdf"),
    path("<int:pk>/self-check/", admin_views.SelfCheckView.as_view(), name="self_check"),
]
