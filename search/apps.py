from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "检索"

    def ready(self) -> None:
        from . import checks  # noqa: F401
        from .indexing import connect

        connect(self)
