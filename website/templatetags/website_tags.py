"""Template helpers of the public site."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def icp_number() -> str:
    """The ICP filing number (ICP 备案号) to show in the footer; empty when not configured."""
    return str(getattr(settings, "CASEBOOK", {}).get("ICP_NUMBER") or "").strip()
