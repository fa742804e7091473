from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .services import unread


@hooks.register("register_admin_urls")
def register_urls():
    urls = [
        path("", views.notification_list, name="list"),
        path("read/", views.mark_all_read, name="mark_all_read"),
    ]
    return [path("notifications/", include((urls, "notifications"), namespace="notifications"))]


class NotificationMenuItem(MenuItem):
    def get_context(self, request):
        context = super().get_context(request)
        count = unread(request.user).count()
        if count:
            context["label"] = f"{self.label}（{count} 条未读）"
        return context


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return NotificationMenuItem(_("通知"), reverse("notifications:list"), icon_name="mail", order=50)
