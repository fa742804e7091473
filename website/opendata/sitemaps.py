"""/sitemap.xml: the public pages a search engine should find, and nothing else.

Published case pages, public campaigns (not drafts), the library, the statistics, the notice
list and the site's Wagtail pages (home, about, privacy). Never a case page of a case in
公示 (those are reached from /notices/ only) and nothing unpublished.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.urls import reverse
from wagtail.models import Page

from cases.models import Campaign, Case
from cases.permissions import PUBLIC_STATES
from cases.states import CampaignStatus

from ..http import cache_public


class SectionSitemap(Sitemap):
    """The lists served by views: library, campaigns, notices, statistics."""

    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return ["website:library", "website:campaigns", "website:notices", "opendata:stats"]

    def location(self, item: str) -> str:
        return reverse(item)


class WagtailPageSitemap(Sitemap):
    """Live, public Wagtail pages: the home page, /about/, /privacy/ and any the editors add."""

    changefreq = "weekly"
    priority = 0.6

    def items(self) -> list[Page]:
        pages = Page.objects.live().public().filter(depth__gt=1).specific().order_by("path")
        return [p for p in pages if p.get_url_parts() is not None]

    def location(self, item: Page) -> str:
        return item.get_url_parts()[2]

    def lastmod(self, item: Page):
        return item.last_published_at


class CaseSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Case.objects.filter(status__in=PUBLIC_STATES).only("id", "updated_at").order_by("pk")

    def location(self, item: Case) -> str:
        return reverse("website:case", args=[item.pk])

    def lastmod(self, item: Case):
        return item.updated_at


class CampaignSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Campaign.objects.exclude(status=CampaignStatus.DRAFT).only("slug", "updated_at").order_by("pk")

    def location(self, item: Campaign) -> str:
        return reverse("website:campaign", args=[item.slug])

    def lastmod(self, item: Campaign):
        return item.updated_at


SITEMAPS = {
    "sections": SectionSitemap,
    "pages": WagtailPageSitemap,
    "campaigns": CampaignSitemap,
    "cases": CaseSitemap,
}


def sitemap_view(request):
    response = sitemap(request, sitemaps=SITEMAPS)
    response.render()
    return cache_public(request, response)
