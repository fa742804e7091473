"""Filters of the open-data templates (/stats/)."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def num(value) -> str:
    """12000 → 12,000; 12.5 → 12.5 (no trailing zeros); None → —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return f"{value:,.0f}"
        return f"{value.normalize():,f}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"
