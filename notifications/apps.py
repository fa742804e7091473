from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "通知"

    def ready(self) -> None:
        from cases.signals import case_transitioned

        from .services import on_case_transitioned

        case_transitioned.connect(on_case_transitioned, dispatch_uid="notifications.case_transitioned")
