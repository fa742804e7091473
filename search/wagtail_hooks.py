"""Wagtail admin wiring: the search report (检索状态) and the synonym dictionary (同义词词典), for
the secretariat and administrators."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from . import admin_views
from .admin import SynonymPolicy, SynonymViewSet
from .models import SynonymGroup

# Registered on import, before the viewset is made: Wagtail must never fall back to its
# model-permission policy for this model.
register_permission_policy(SynonymGroup, SynonymPolicy(SynonymGroup), exact_class=True)


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


@hooks.register("register_admin_viewset")
def register_synonym_viewset():
    return SynonymViewSet()
