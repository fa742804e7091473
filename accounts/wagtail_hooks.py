"""Wagtail admin wiring for accounts: the 账号管理 pages and their menu item."""

from django.contrib.auth import get_user_model
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .models import AccessToken


class AccountsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return views.may_use_accounts(request.user)


urlpatterns = [
    path("", views.AccountIndexView.as_view(), name="index"),
    path("new/", views.AccountCreateView.as_view(), name="add"),
    path("<int:pk>/edit/", views.AccountEditView.as_view(), name="edit"),
    path("<int:pk>/<slug:operation>/", views.AccountOperationView.as_view(), name="operation"),
]


@hooks.register("register_admin_urls")
def register_account_urls():
    return [path("accounts/", include((urlpatterns, "accounts_admin"), namespace="accounts_admin"))]


@hooks.register("register_admin_menu_item")
def register_accounts_menu_item():
    return AccountsMenuItem(_("账号管理"), reverse("accounts_admin:index"), name="accounts", icon_name="group", order=900)


@hooks.register("after_bulk_action")
def revoke_tokens_of_users_disabled_in_bulk(request, action_type, objects, action_class_instance):
    """Wagtail's bulk "set active state" disables users with a queryset update (no save, no signal):
    their tokens are revoked here, so re-enabling them later does not bring old tokens back
    (docs/api.md, Authentication)."""
    if action_type != "set_active_state":
        return
    User = get_user_model()
    pks = [obj.pk for obj in objects if isinstance(obj, User)]
    if pks:
        AccessToken.objects.filter(user__in=User.objects.filter(pk__in=pks, is_active=False)).delete()
