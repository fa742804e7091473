"""The site's URLs with the public case endpoints in front (until cases/api/urls.py includes them)."""

from django.urls import include, path

from config.urls import urlpatterns as site_patterns
from search.urls_api import urlpatterns as search_api

urlpatterns = [path("api/v1/", include(search_api)), *site_patterns]
