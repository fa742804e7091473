"""Wagtail's JavaScript catalogue with ours merged in (workspace/locale/.../djangojs.po)."""

from django.views.i18n import JavaScriptCatalog
from wagtail.admin.localization import get_localized_response

# Later packages win: our translations of the strings Wagtail's zh_Hans djangojs catalogue lacks.
_catalog = JavaScriptCatalog.as_view(packages=["wagtail.admin", "workspace"])


def js_catalog(request, *args, **kwargs):
    return get_localized_response(_catalog, request, *args, **kwargs)
