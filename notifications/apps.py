from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "通知"

    def ready(self) -> None:
        # In ready(), not at the top: services imports models, which need the app registry.
        from cases.signals import case_transitioned, objection_event

        from .services import on_case_transitioned, on_objection_event

        case_transitioned.connect(on_case_transitioned, dispatch_uid="notifications.case_transitioned")
        objection_event.connect(on_objection_event, dispatch_uid="notifications.objection_event")
