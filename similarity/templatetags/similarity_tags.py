from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """A ratio (0-1) as the report prints it: 12.3%."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"
