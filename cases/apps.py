from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案例"

    def ready(self) -> None:
        # In ready(), not at the top: models and the admin's modules need the app registry.
        from . import audit_trail

        audit_trail.connect()
