"""Wagtail admin wiring: the session-expiry warning, the session endpoints and the TOTP pages."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import totp, views


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("security/session/status/", views.session_status, name="security_session_status"),
        path("security/session/extend/", views.session_extend, name="security_session_extend"),
        path("security/totp/", views.TOTPManageView.as_view(), name="security_totp"),
        path("security/totp/verify/", views.TOTPVerifyView.as_view(), name="security_totp_verify"),
    ]


@hooks.register("insert_global_admin_js")
def session_timeout_js():
    return format_html(
        '<script src="{}" data-status-url="{}" data-extend-url="{}" data-login-url="{}" defer></script>',
        static("security/session-timeout.js"),
        reverse("security_session_status"),
        reverse("security_session_extend"),
        reverse("wagtailadmin_login"),
    )


@hooks.register("insert_global_admin_css")
def session_timeout_css():
    return format_html('<link rel="stylesheet" href="{}">', static("security/admin.css"))


class TOTPMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return totp.eligible(request.user)


@hooks.register("register_admin_menu_item")
def register_totp_menu_item():
    return TOTPMenuItem(_("动态口令"), reverse("security_totp"), name="totp", icon_name="key", order=960)
