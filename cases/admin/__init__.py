"""Wagtail admin for cases and campaigns: viewsets, forms, panels, views (thin, over the services)."""
