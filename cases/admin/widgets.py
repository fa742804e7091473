"""The browser's own date and date-time inputs instead of Wagtail's calendar pop-up.

Wagtail's calendar opens on focus, stays open after Tab leaves, ignores Escape, covers the fields
below it, and its day buttons have no names and sit in the tab order after the form's buttons
(issue 16). The native inputs have none of those faults: the browser's picker opens only when
asked, is keyboard-operable and named, and the typed value (2024-03-01) is what is submitted.
"""

from __future__ import annotations

from django import forms


class NativeDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class NativeDateTimeInput(forms.DateTimeInput):
    """A local date and time (the server's zone, Asia/Shanghai, as every time in the admin)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def use_native_dates(form: forms.BaseForm) -> None:
    """Give every date and date-time field of `form` the native input."""
    for field in form.fields.values():
        if isinstance(field, forms.DateTimeField):
            field.widget = NativeDateTimeInput(attrs=field.widget.attrs)
        elif isinstance(field, forms.DateField):
            field.widget = NativeDateInput(attrs=field.widget.attrs)


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """Checkboxes inside a fieldset whose legend names the group (应用场景, 重点群体), so a screen
    reader announces the question with each box, not only the box's own label."""

    template_name = "cases/admin/widgets/checkbox_group.html"

    def __init__(self, *args, legend: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.legend = legend

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["legend"] = self.legend
        return context
