from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账号"

    def ready(self) -> None:
        # In ready(), not at the top: these modules import models, which need the app registry.
        from . import signals

        post_migrate.connect(signals.ensure_groups_after_migrate, dispatch_uid="accounts_role_groups")
        post_save.connect(
            signals.sync_group_on_save, sender="accounts.User", dispatch_uid="accounts_sync_role_group"
        )
