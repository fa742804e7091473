from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "安全"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # In ready(), not at the top: these modules import models, which need the app registry.
        from . import checks, richtext, signals  # noqa: F401

        signals.connect()
        richtext.connect()
