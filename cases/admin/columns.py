"""Listing columns and filters for the case index."""

from __future__ import annotations

import django_filters
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column

from .. import permissions
from ..models import Campaign, Case, Region
from ..models.regions import RegionLevel
from ..states import CaseStatus


class CaseStatusColumn(Column):
    """The state as a coloured tag (colours by state group, see cases/static/cases/admin/admin.css)."""

    cell_template_name = "cases/admin/tables/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["status"] = instance.status
        # The enum's label, not get_status_display(): that hashes every (lazy) choice per call.
        context["label"] = CaseStatus(instance.status).label if instance.status in CaseStatus.values else instance.status
        return context


class TextColumn(Column):
    """A plain text cell rendered without a template: the case list has 30 rows of them, and a
    template render per cell was a good part of the page's cost. Same markup as Wagtail's
    `wagtailadmin/tables/cell.html`; the value is escaped."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        classes = format_html(' class="{}"', self.classname) if self.classname else ""
        return format_html("<td{}>{}</td>", classes, "" if value is None else value)


def region_name(case: Case) -> str:
    return case.region.full_name


def category_title(case: Case) -> str:
    return case.category.title if case.category_id else "—"


class CaseFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=_("征集活动"), queryset=Campaign.objects.all(), empty_label=_("全部征集活动")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CaseStatus.choices, empty_label=_("全部状态"))
    province = django_filters.ModelChoiceFilter(
        label=_("省份"), queryset=Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code"),
        empty_label=_("全部省份"),
    )

    class Meta:
        model = Case
        fields = ["campaign", "status", "province"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Only the secretariat works across provinces (the campaign dashboard links here by province).
        if request is None or not permissions.is_staff_role(request.user):
            self.filters.pop("province", None)
