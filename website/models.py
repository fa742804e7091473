"""The public site's Wagtail pages: the content editors control.

The home page, the about page and the privacy notice are Wagtail pages (editors change their
text in the admin; the data migrations create them). The library, case, campaign and notice
pages are views (`website/views.py`, `library_views.py`, `notice_views.py`): their content is
the case data itself.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from . import home
from .http import cache_public

RICH_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class CachedPageMixin:
    """Public, cacheable for anonymous visitors; private for editors (previews, signed-in)."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        return cache_public(request, response)


class HomePage(CachedPageMixin, Page):
    """The site root: featured and latest exemplars, headline counts and open campaigns."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["website.StandardPage", "website.PrivacyPage"]
    max_count = 1

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["library_sections"] = home.library_sections(request)
        return context


class StandardPage(CachedPageMixin, Page):
    """A page of text the editors write, such as 关于本站 (/about/)."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])
    body = RichTextField(_("正文"), blank=True, features=RICH_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["website.HomePage", "website.StandardPage"]
    subpage_types = ["website.StandardPage"]
    template = "website/standard_page.html"

    class Meta:
        verbose_name = _("文字页面")
        verbose_name_plural = _("文字页面")


class PrivacyPage(CachedPageMixin, Page):
    """The privacy notice (/privacy/): the editors' text plus the retention period from settings."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])
    body = RichTextField(_("正文"), blank=True, features=RICH_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["website.HomePage"]
    subpage_types: list[str] = []
    max_count = 1
    template = "website/privacy_page.html"

    class Meta:
        verbose_name = _("隐私政策")
        verbose_name_plural = _("隐私政策")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["retention_days"] = settings.CASEBOOK["OBJECTION_RETENTION_DAYS"]
        return context


from .compilation.models import Compilation  # noqa: E402, F401  (registers the model; website/compilation/)
