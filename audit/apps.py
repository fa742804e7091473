from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "审计日志"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # In ready(), not at the top: these modules import models, which need the app registry.
        from . import checks, receivers  # noqa: F401

        receivers.connect()
