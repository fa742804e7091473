"""Listing columns and filters for the case index."""

from __future__ import annotations

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column

from regions.loading import province_names

from .. import permissions
from ..models import Campaign, Case
from ..states import CaseStatus


def _cell(column: Column, content) -> str:
    """A table cell as Wagtail's `wagtailadmin/tables/cell.html` writes it; `content` is escaped
    unless it is already safe."""
    classes = format_html(' class="{}"', column.classname) if column.classname else ""
    return format_html("<td{}>{}</td>", classes, content)


class CaseStatusColumn(Column):
    """The state as a coloured tag (colours by state group, see cases/static/cases/admin/admin.css);
    the markup of `cases/admin/includes/status_tag.html`, without a template per row."""

    def render_cell_html(self, instance, parent_context):
        # The enum's label, not get_status_display(): that hashes every (lazy) choice per call.
        label = CaseStatus(instance.status).label if instance.status in CaseStatus.values else instance.status
        return _cell(self, format_html('<span class="cb-status cb-status--{}">{}</span>', instance.status, label))


class DateTimeColumn(Column):
    """A date and time as officials write it (2026年3月5日 14:30, local time), without a
    template and a relative-date tooltip per row as Wagtail's `DateColumn` renders it."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if not value:
            return _cell(self, "")
        local = timezone.localtime(value)
        return _cell(self, format_html('<time datetime="{}">{}</time>', local.isoformat(), date_format(local, "Y年n月j日 H:i")))


class TextColumn(Column):
    """A plain text cell rendered without a template: the case list has 30 rows of them, and a
    template render per cell was a good part of the page's cost. Same markup as Wagtail's
    `wagtailadmin/tables/cell.html`; the value is escaped."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        return _cell(self, "" if value is None else value)


class CaseTitleColumn(Column):
    """The title, linked to where the user works on the case (its form when they may edit it,
    its page otherwise), and a visible link to its page when that is elsewhere. No per-row
    dropdown menu: its components were about a third of the list's cost (docs/performance.md),
    and a link in plain sight is easier for the officials who use the list."""

    def __init__(self, name: str, *, get_url, get_inspect_url, **kwargs):
        super().__init__(name, **kwargs)
        self.get_url, self.get_inspect_url = get_url, get_inspect_url

    def render_cell_html(self, instance, parent_context):
        url, inspect_url = self.get_url(instance), self.get_inspect_url(instance)
        extra = ""
        if inspect_url and inspect_url != url:
            extra = format_html(
                '<ul class="actions"><li><a class="button button-small button-secondary" href="{}">{}</a></li></ul>',
                inspect_url, _("查看"),
            )
        return format_html('<td class="title"><div class="title-wrapper"><a href="{}">{}</a></div>{}</td>',
                           url, instance.title, extra)


def region_name(case: Case) -> str:
    return case.region.full_name


def category_title(case: Case) -> str:
    return case.category.title if case.category_id else "—"


def _campaign_choices() -> list[tuple[int, str]]:
    return list(Campaign.objects.values_list("pk", "title"))


def _province_choices() -> list[tuple[str, str]]:
    return list(province_names().items())


class FastSelect(forms.Select):
    """Django's <select> markup, rendered in Python: its templates render every option on its
    own (the filter form has ~60 on every page of the case list)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "\n", '<option value="{}"{}>{}</option>',
            ((option["value"], flatatt(option["attrs"]), option["label"])
             for _group, group_options, _index in widget["optgroups"] for option in group_options),
        )
        return format_html('<select name="{}"{}>\n{}\n</select>', widget["name"], flatatt(widget["attrs"]), options)


class CaseFilterSet(WagtailFilterSet):
    # Choices read as plain rows when the form is built: a ModelChoiceFilter walks its queryset
    # through a server-side cursor (DECLARE, FETCH, CLOSE) for nine campaigns and 34 provinces.
    campaign = django_filters.ChoiceFilter(
        label=_("征集活动"), choices=_campaign_choices, empty_label=_("全部征集活动"), widget=FastSelect
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=CaseStatus.choices, empty_label=_("全部状态"), widget=FastSelect
    )
    province = django_filters.ChoiceFilter(
        label=_("省份"), choices=_province_choices, empty_label=_("全部省份"), widget=FastSelect
    )

    class Meta:
        model = Case
        fields = ["campaign", "status", "province"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Only the secretariat works across provinces (the campaign dashboard links here by province).
        if request is None or not permissions.is_staff_role(request.user):
            self.filters.pop("province", None)
