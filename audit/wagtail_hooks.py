"""Wagtail admin wiring for the audit log: its page and menu item (secretariat and administrators)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


class AuditMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return views.may_view_audit(request.user)


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/", views.AuditLogView.as_view(), name="audit_log")]


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return AuditMenuItem(_("审计日志"), reverse("audit_log"), name="audit", icon_name="history", order=950)
