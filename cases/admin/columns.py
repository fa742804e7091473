"""Listing columns and filters for the case index."""

from __future__ import annotations

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, TitleColumn
from wagtail.admin.widgets.button import ListingButton

from regions.loading import province_names

from .. import permissions
from ..models import Campaign, Case
from ..states import CaseStatus


def _cell(column: Column, content) -> str:
    """A table cell as Wagtail's `wagtailadmin/tables/cell.html` writes it; `content` is escaped
    unless it is already safe."""
    classes = format_html(' class="{}"', column.classname) if column.classname else ""
    return format_html("<td{}>{}</td>", classes, content)


# The case list's cells are Wagtail's columns rendered through their templates, except where the
# Python fast path below was measured to matter (docs/performance.md, "Admin case list": ≤ 50 ms
# for 30 rows; the three text columns' templates cost 1-2 ms more, the title's 15-18 ms). Each fast path
# (`render_cell_html`) must write what the column's template path (`Column.render_cell_html`,
# kept working) writes: tests/admin/test_case_list_cells.py renders both and compares the HTML,
# so a Wagtail upgrade that changes the markup fails there instead of drifting silently.


def status_label(status: str) -> str:
    # The enum's label, not get_status_display(): that hashes every (lazy) choice per call.
    return CaseStatus(status).label if status in CaseStatus.values else status


class CaseStatusColumn(Column):
    """The state as a coloured tag (colours by state group, see cases/static/cases/admin/admin.css):
    Wagtail's cell around `cases/admin/includes/status_tag.html`."""

    value_template_name = "cases/admin/includes/status_tag.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = render_to_string(
            self.value_template_name, {"status": instance.status, "label": status_label(instance.status)}
        )
        return context

    def render_cell_html(self, instance, parent_context):
        """Fast path: the same markup without two template renders per row."""
        tag = format_html('<span class="cb-status cb-status--{}">{}</span>', instance.status, status_label(instance.status))
        return _cell(self, tag)


class DateTimeColumn(Column):
    """A date and time as officials write it (2026年3月5日 14:30, local time): Wagtail's cell around
    `cases/admin/includes/datetime.html`, not Wagtail's `DateColumn` (a relative date, "3 days
    ago", with a tooltip)."""

    value_template_name = "cases/admin/includes/datetime.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        context["value"] = render_to_string(self.value_template_name, {"value": value}) if value else ""
        return context

    def render_cell_html(self, instance, parent_context):
        """Fast path: the same markup without two template renders per row."""
        value = self.get_value(instance)
        if not value:
            return _cell(self, "")
        local = timezone.localtime(value)
        return _cell(self, format_html('<time datetime="{}">{}</time>', local.isoformat(), date_format(local, "Y年n月j日 H:i")))


class TextColumn(Column):
    """A plain text cell: Wagtail's `Column`, with a fast path for the case list's three text
    columns (a template render per cell was a good part of the page's cost)."""

    def render_cell_html(self, instance, parent_context):
        """Fast path: Wagtail's `wagtailadmin/tables/cell.html` markup, the value escaped."""
        value = self.get_value(instance)
        return _cell(self, "" if value is None else value)


class CaseTitleColumn(ButtonsColumnMixin, TitleColumn):
    """The title, linked to where the user works on the case (its form when they may edit it,
    its page otherwise), and a visible 查看 button to its page when that is elsewhere: Wagtail's
    title cell with one listing button. No per-row dropdown menu: its components were about a
    third of the list's cost (docs/performance.md), and a link in plain sight is easier for the
    officials who use the list."""

    empty_value_display = ""  # as the fast path: no Wagtail "(blank)" for an untitled draft

    def __init__(self, name: str, *, get_url, get_inspect_url, **kwargs):
        super().__init__(name, get_url=get_url, **kwargs)
        self.get_inspect_url = get_inspect_url

    def get_buttons(self, instance, parent_context):
        url, inspect_url = self.get_link_url(instance, parent_context), self.get_inspect_url(instance)
        return [ListingButton(_("查看"), inspect_url)] if inspect_url and inspect_url != url else []

    def render_cell_html(self, instance, parent_context):
        """Fast path: the markup of Wagtail's `wagtailadmin/tables/title_cell.html` with its button,
        without its five template renders per row (15-18 ms of the page)."""
        url = self.get_link_url(instance, parent_context)
        buttons = format_html_join(
            "", '<li><a href="{}" class="{}">{}</a></li>', ((b.url, b.classname, b.label) for b in self.get_buttons(instance, parent_context))
        )
        extra = format_html('<ul class="actions">{}</ul>', buttons) if buttons else ""
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
    own (the filter form has ~60 on every page of the case list; 8 ms against 2.7 ms, see
    docs/performance.md). tests/admin/test_case_list_cells.py compares it with `forms.Select`."""

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
