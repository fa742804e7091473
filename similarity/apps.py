from django.apps import AppConfig


class SimilarityConfig(AppConfig):
    name = "similarity"
    verbose_name = "查重"

    def ready(self) -> None:
        from .receivers import connect

        connect()
