from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cases import urls as case_file_urls
from cases.api import urls as api_urls
from search.admin_views import health_view
from website import urls as website_urls
from website import urls_data as website_data_urls
from workspace.views import js_catalog

urlpatterns = [
    # Before Wagtail's own (same path and name): its JavaScript strings with our Chinese added.
    path("admin/jsi18n/", js_catalog, name="wagtailadmin_javascript_catalog"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("files/", include(case_file_urls)),
    path("api/v1/", include(api_urls)),
    re_path(r"^api/(?P<rest>.*)$", api_urls.not_found),  # every other /api/ path: a JSON 404
    path("health/search", health_view, name="search_health"),
    path("", include(website_data_urls)),
    path("", include(website_urls)),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

urlpatterns += [path("", include(wagtail_urls))]
