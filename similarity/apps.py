from django.apps import AppConfig


class SimilarityConfig(AppConfig):
    name = "similarity"
    verbose_name = "查重"

    def ready(self) -> None:
        # In ready(), not at the top: these modules import models, which need the app registry.
        from cases import extensions

        from . import selectors, urls_api
        from .receivers import connect

        connect()
        # similarity stands above cases: the cases admin's pages and the formal-check sheet show
        # its figures and buttons through the port, and its endpoints join cases' API.
        extensions.provide_similarity(
            latest_reports=selectors.latest_reports, sort_key=selectors.similarity_sort_key,
            case_links=selectors.case_links,
        )
        extensions.add_api_patterns(urls_api.urlpatterns)
