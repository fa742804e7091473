from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = "公众网站"

    def ready(self) -> None:
        # In ready(), not at the top: these modules import models, which need the app registry.
        from . import case_page, frontcache
        from .compilation.signals import connect as connect_compilation
        from .renditions import connect

        connect()
        case_page.connect()  # renews the cached parts of a case page when it changes (website/case_page.py)
        frontcache.connect()  # purges the front cache after a case changes (website/frontcache.py)
        connect_compilation()  # the 典型案例汇编 (website/compilation/signals.py)
