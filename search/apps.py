from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "检索"

    def ready(self) -> None:
        # In ready(), not at the top: these modules import models, which need the app registry.
        from cases import extensions

        from . import (
            checks,  # noqa: F401
            urls_api,
        )
        from .indexing import connect, sync_cases

        connect(self)
        # search stands above cases: it lends cases its bulk sync and its API endpoints.
        extensions.provide_search(sync_cases=sync_cases)
        extensions.add_api_patterns(urls_api.urlpatterns)
