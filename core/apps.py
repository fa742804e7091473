from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Installed so the import-graph test and Django see it as the ground floor; it has no models."""

    name = "core"
    verbose_name = "基础"
