"""Wagtail admin wiring for cases: permission policies, viewsets, menu, dashboard."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import permissions
from .admin.policies import CampaignPermissionPolicy, CasePermissionPolicy
from .models import Campaign, Case

# Policies first: Wagtail must never fall back to its model-permission policy for these.
register_permission_policy(Case, CasePermissionPolicy(Case), exact_class=True)
register_permission_policy(Campaign, CampaignPermissionPolicy(Campaign), exact_class=True)

from .admin import dashboard  # noqa: E402
from .admin.viewsets import CampaignViewSet, CaseViewSet  # noqa: E402

# Wagtail's own content tools stay with the secretariat and administrators.
STAFF_ONLY_MENU_ITEMS = frozenset({"explorer", "images", "documents", "snippets", "reports", "settings", "help"})


@hooks.register("register_admin_viewset")
def register_case_viewset():
    return CaseViewSet()


@hooks.register("register_admin_viewset")
def register_campaign_viewset():
    return CampaignViewSet()


@hooks.register("construct_main_menu")
def hide_content_tools(request, menu_items):
    if not permissions.is_staff_role(request.user):
        menu_items[:] = [item for item in menu_items if item.name not in STAFF_ONLY_MENU_ITEMS]


@hooks.register("construct_homepage_panels")
def add_case_panels(request, panels):
    if not permissions.is_staff_role(request.user):
        # Page/workflow panels mean nothing to the regional roles.
        panels[:] = []
    panels[:0] = dashboard.panels_for(request.user)


@hooks.register("construct_homepage_summary_items")
def hide_site_summary(request, summary_items):
    if not permissions.is_staff_role(request.user):
        summary_items[:] = []


@hooks.register("insert_global_admin_css")
def case_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cases/admin/admin.css"))
