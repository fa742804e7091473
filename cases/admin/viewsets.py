"""Wagtail viewsets: 案例 (every signed-in role, scoped) and 征集活动 (secretariat only)."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import Campaign, Case
from . import action_views, case_views, extension_views
from .campaigns import campaign_edit_handler
from .columns import CaseFilterSet
from .panels import case_edit_handler


class CaseViewSet(ModelViewSet):
    model = Case
    name = "cases"
    url_prefix = "cases"
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("案例")
    menu_name = "cases"
    menu_order = 110
    add_to_admin_menu = True
    add_to_reference_index = False
    inspect_view_enabled = True
    copy_view_enabled = False
    sort_order_field = None
    index_view_class = case_views.CaseIndexView
    add_view_class = case_views.CaseCreateView
    edit_view_class = case_views.CaseEditView
    inspect_view_class = case_views.CaseInspectView
    filterset_class = CaseFilterSet
    search_fields = ["title"]
    search_backend_name = None
    list_per_page = 30

    def get_edit_handler(self):
        return case_edit_handler().bind_to_model(self.model)

    def get_urlpatterns(self):
        # No generic delete/history/usage views: drafts end by 撤回 and the history is the
        # workflow's own record (shown on the detail page).
        keep = {"index", "index_results", "add", "edit", "inspect"}
        patterns = [p for p in super().get_urlpatterns() if p.name in keep]
        return patterns + [
            path("files/<int:pk>/", action_views.CaseFilesView.as_view(), name="files"),
            path("action/<int:pk>/<slug:name>/", action_views.CaseTransitionView.as_view(), name="transition"),
            path("extend/<int:pk>/", extension_views.CaseExtensionView.as_view(), name="extend"),
        ]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("delete_url_name", "history_url_name", "usage_url_name", "copy_url_name"):
            view_kwargs[name] = None
        return view_kwargs


class CampaignIndexView(generic.IndexView):
    @cached_property
    def columns(self):
        return [
            self._get_title_column("title"),
            Column("year", label=gettext_lazy("年度"), sort_key="year"),
            Column("batch", label=gettext_lazy("批次")),
            Column("status", label=gettext_lazy("活动状态"), accessor="get_status_display", sort_key="status"),
            DateColumn("submission_closes", label=gettext_lazy("申报截止时间"), sort_key="submission_closes"),
        ]


class CampaignCreateView(generic.CreateView):
    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("campaigns:index"), "label": _("征集活动")},
            {"url": "", "label": _("新建征集活动")},
        ]


class CampaignDeleteView(generic.DeleteView):
    """A campaign with cases is protected by them: say so instead of failing."""

    def dispatch(self, request, *args, **kwargs):
        if self.object.cases.exists():
            messages.error(request, _("该征集活动已有案例，不能删除；可将活动状态改为“已结束”。"))
            return HttpResponseRedirect(reverse("campaigns:edit", args=[self.object.pk]))
        return super().dispatch(request, *args, **kwargs)


class CampaignViewSet(ModelViewSet):
    model = Campaign
    name = "campaigns"
    url_prefix = "campaigns"
    icon = "date"
    menu_label = gettext_lazy("征集活动")
    menu_name = "campaigns"
    menu_order = 120
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = CampaignIndexView
    add_view_class = CampaignCreateView
    delete_view_class = CampaignDeleteView
    search_fields = ["title", "slug"]
    search_backend_name = None

    def get_edit_handler(self):
        return campaign_edit_handler().bind_to_model(self.model)
