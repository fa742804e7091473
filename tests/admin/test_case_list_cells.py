"""The case list's Python fast paths write what Wagtail's own templates write.

`cases/admin/columns.py` renders some cells and the filter selects in Python because their
templates were measured to cost a good part of the page (docs/performance.md, "Admin case
list"). Each fast path is compared here with the template path it replaces — Wagtail's column
templates (`wagtailadmin/tables/cell.html`, `title_cell.html` with a listing button) and Django's
`<select>` templates — on the cells of the real list, so a Wagtail or Django upgrade that changes
the markup fails this test rather than leaving the list silently different from the rest of the
admin. HTML is compared as HTML (attribute order and insignificant whitespace aside).
"""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.tables import Column

from cases.admin.columns import CaseFilterSet, CaseStatusColumn, DateTimeColumn, FastSelect, TextColumn
from cases.models import Case
from tests.factories import case_in

pytestmark = pytest.mark.django_db

FAST_COLUMNS = ("title", "region", "campaign", "category", "status", "updated_at")


def template_path(column, instance, parent_context) -> str:
    """The cell as the column's template renders it (Wagtail's path, without the override)."""
    return Column.render_cell_html(column, instance, parent_context)


def same_html(fast: str, reference: str) -> None:
    assert parse_html(fast) == parse_html(reference), f"fast path:\n{fast}\nWagtail's template:\n{reference}"


def listing(client):
    response = client.get(reverse("cases:index"))
    assert response.status_code == 200
    return response.context["table"], response.context["request"]


def test_every_cell_of_the_list_matches_wagtails_template(as_user, submitter, campaign):
    """A submitter's list: drafts link to their form with a 查看 button, submitted cases to
    their page without one; titles, names and labels that need escaping."""
    case_in("draft", campaign=campaign, region_code="440100", title="<b>“银龄”</b> & 智能手机")
    case_in("submitted", campaign=campaign, region_code="440100", title="已提交的案例")
    table, request = listing(as_user(submitter))
    columns = {c.name: c for c in table.columns.values()}
    assert set(FAST_COLUMNS) <= set(columns)
    buttons = 0
    for instance in table.data:
        context = {"row": None, "table": table, "request": request}
        for name in FAST_COLUMNS:
            column = columns[name]
            fast = column.render_cell_html(instance, context)
            same_html(fast, template_path(column, instance, context))
            buttons += name == "title" and "查看" in fast
    assert len(table.data) == 2 and buttons == 1  # both shapes of the title cell were compared


def test_cells_with_empty_odd_and_unknown_values(campaign):
    context = {"row": None, "table": None, "request": None}
    columns = [
        TextColumn("none", accessor=lambda c: None),
        TextColumn("blank", accessor=lambda c: "  "),
        TextColumn("number", accessor=lambda c: 12345, classname="w-text-16"),
        TextColumn("markup", accessor=lambda c: '<script>alert("x")</script> & “引号”'),
        TextColumn("object", accessor="campaign"),
        CaseStatusColumn("status"),
        DateTimeColumn("updated_at"),
    ]
    for case in (
        Case(pk=7, title="", status="no-such-state", updated_at=None, campaign=campaign),
        Case(pk=8, title="案例", status="in_notice", updated_at=timezone.now().replace(microsecond=123456), campaign=campaign),
    ):
        for column in columns:
            same_html(column.render_cell_html(case, context), template_path(column, case, context))


def test_filter_selects_match_djangos_select(secretariat, campaign, rf):
    request = rf.get("/admin/cases/", {"status": "submitted"})
    request.user = secretariat
    form = CaseFilterSet(request.GET, queryset=Case.objects.all(), request=request).form
    assert {"campaign", "status", "province"} <= set(form.fields)
    for name in ("campaign", "status", "province"):
        field = form.fields[name]
        assert isinstance(field.widget, FastSelect)
        value = form[name].value()
        reference = forms.Select(attrs=field.widget.attrs, choices=field.widget.choices)
        same_html(field.widget.render(name, value, {"id": f"id_{name}"}),
                  reference.render(name, value, {"id": f"id_{name}"}))
