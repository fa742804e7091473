"""Keep role groups in place: after migrations, and whenever a user's role is saved."""

from __future__ import annotations

from django.apps import apps

from .services import ensure_role_groups, sync_role_group


def ensure_groups_after_migrate(sender, app_config=None, **kwargs) -> None:
    """Run once per `migrate`, after the last app's post_migrate (when every permission exists)."""
    with_models = [a for a in apps.get_app_configs() if a.models_module is not None]
    if not with_models or app_config is not with_models[-1]:
        return
    ensure_role_groups()


def sync_group_on_save(sender, instance, created: bool = False, update_fields=None, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    if update_fields is not None and "role" not in update_fields:
        return
    sync_role_group(instance)
