"""The public site's Wagtail pages. The showcase issue adds the library, case and notice pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from . import selectors


class HomePage(Page):
    """The site root: headline counts and the latest published cases."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["counts"] = selectors.headline_counts()
        context["latest_cases"] = selectors.latest_published(limit=8)
        return context

