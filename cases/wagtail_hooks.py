"""Wagtail admin wiring for cases: permission policies, viewsets, menu, dashboard."""

from django.http import Http404, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from accounts.roles import Role

from . import permissions
from .admin.policies import CampaignPermissionPolicy, CasePermissionPolicy
from .models import Campaign, Case, CaseAttachment, Objection

# Policies first: Wagtail must never fall back to its model-permission policy for these.
register_permission_policy(Case, CasePermissionPolicy(Case), exact_class=True)
register_permission_policy(Campaign, CampaignPermissionPolicy(Campaign), exact_class=True)

from .admin import dashboard  # noqa: E402
from .admin import urls as working_urls  # noqa: E402
from .admin.media_api import ChoosableDocumentsAPIViewSet, ChoosableImagesAPIViewSet  # noqa: E402
from .admin.viewsets import CampaignViewSet, CaseViewSet  # noqa: E402

# Wagtail's own content tools stay with the secretariat and administrators.
STAFF_ONLY_MENU_ITEMS = frozenset({"explorer", "images", "documents", "snippets", "reports", "settings", "help"})


@hooks.register("construct_admin_api", order=100)  # after Wagtail's own registrations
def admin_api_lists_only_choosable_media(router):
    router.register_endpoint("documents", ChoosableDocumentsAPIViewSet)
    router.register_endpoint("images", ChoosableImagesAPIViewSet)


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


@hooks.register("insert_global_admin_css")
def case_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cases/admin/admin.css"))


@hooks.register("insert_global_admin_css")
def form_accessibility_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cases/admin/forms.css"))


@hooks.register("insert_global_admin_js")
def form_accessibility_js():
    """Keyboard and screen-reader help on every admin form (docs/accessibility-admin.md)."""
    return format_html('<script src="{}"></script>', static("cases/admin/forms_a11y.js"))


# --- the working pages: 推荐 (recommenders), 活动工作台 (secretariat), 我的评审 (reviewers) ----------


@hooks.register("register_admin_urls")
def register_working_urls():
    return [
        path("nomination/", include((working_urls.nomination_urls, "nomination"), namespace="nomination")),
        path("desk/", include((working_urls.desk_urls, "desk"), namespace="desk")),
        path("reviews/", include((working_urls.review_urls, "reviews"), namespace="reviews")),
        path("adoptions/", include((working_urls.adoption_urls, "adoptions"), namespace="adoptions")),
    ]


class RoleMenuItem(MenuItem):
    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request) -> bool:
        return self.shown_to(request.user)


@hooks.register("register_admin_menu_item")
def register_nomination_menu_item():
    return RoleMenuItem(
        _("推荐"), reverse("nomination:index"), name="nomination", icon_name="list-ol", order=115,
        shown_to=permissions.can_export_nominations,
    )


@hooks.register("register_admin_menu_item")
def register_reviews_menu_item():
    return RoleMenuItem(
        _("我的评审"), reverse("reviews:index"), name="my-reviews", icon_name="clipboard-list", order=105,
        shown_to=lambda user: permissions.role_of(user) == Role.REVIEWER,
    )


@hooks.register("register_admin_menu_item")
def register_desk_menu_item():
    return RoleMenuItem(
        _("活动工作台"), reverse("desk:index"), name="desk", icon_name="tasks", order=125,
        shown_to=permissions.is_staff_role,
    )


@hooks.register("register_admin_menu_item")
def register_adoptions_menu_item():
    return RoleMenuItem(
        _("借鉴报告"), reverse("adoptions:index"), name="adoptions", icon_name="list-ul", order=127,
        shown_to=permissions.is_staff_role,
    )


@hooks.register("before_serve_document")
def case_attachments_only_through_their_view(document, request):
    """Wagtail's /documents/<id>/<name> would serve a case attachment to anyone who has seen its
    (generated) file name, without asking permissions.py. Case attachments are sent to
    /files/attachments/<pk>/ instead: permission-checked, audited, Content-Disposition attachment."""
    attachment = CaseAttachment.objects.filter(document=document).only("pk").first()
    if attachment is not None:
        return HttpResponseRedirect(reverse("case_files:attachment", args=[attachment.pk]))
    # An objector's evidence (personal data) goes to the secretariat's desk view only.
    if Objection.objects.filter(evidence=document).exists():
        raise Http404
    return None
