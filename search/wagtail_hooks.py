"""Wagtail admin wiring: the search report (检索状态) for the secretariat and administrators."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


class SearchStatusMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return admin_views.may_view(request.user)


@hooks.register("register_admin_urls")
def register_search_urls():
    return [path("search-status/", admin_views.SearchStatusView.as_view(), name="search_status")]


@hooks.register("register_admin_menu_item")
def register_search_menu_item():
    return SearchStatusMenuItem(_("检索状态"), reverse("search_status"), name="search-status", icon_name="search",
                                order=960)
