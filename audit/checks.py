"""System checks: the audit retention can't be configured below the minimum."""

from django.conf import settings
from django.core.checks import Error, register

from .models import MINIMUM_RETENTION_DAYS


@register()
def retention_check(app_configs, **kwargs):
    days = getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = -1
    if days < MINIMUM_RETENTION_DAYS:
        return [
            Error(
                f"AUDIT_RETENTION_DAYS must be at least {MINIMUM_RETENTION_DAYS} (审计日志至少保存 180 天).",
                id="audit.E001",
            )
        ]
    return []
