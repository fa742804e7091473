"""/feeds/cases.xml: RSS 2.0 of newly published cases (the latest 50, newest first).

The library's query string narrows it (`/feeds/cases.xml?q=老年人&province=440000`: a feed of
one search, read by the same parser, `search.params`, newest first unless `sort` says
otherwise). Without one it is one query whatever the number of cases. Published cases only;
categories are the case's Chinese labels (scenarios, task area, key groups, province,
campaign, tier).
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case
from cases.permissions import PUBLIC_STATES
from cases.taxonomies import KeyGroup, Scenario, TaskArea, label_of
from cases.validation import clean_line, clean_text
from search.params import query_from_params
from search.query import QueryError, SearchQuery
from search.service import search_cases

from ..http import cache_public

FEED_SIZE = 50


class ChineseRssFeed(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"


class NewCasesFeed(Feed):
    feed_type = ChineseRssFeed
    title = gettext_lazy("典型案例库 · 新发布的典型案例")
    description = gettext_lazy("提升全民数字素养与技能典型案例库最新发布的典型案例。")
    language = "zh-cn"
    ttl = 60

    def link(self) -> str:
        return reverse("website:library") + "?sort=newest"

    def feed_url(self) -> str:
        return reverse("opendata:feed")

    def get_object(self, request, *args, **kwargs) -> SearchQuery | None:
        """The search the feed follows; None for the plain feed of the newest cases."""
        if not any(request.GET.get(key) for key in request.GET):
            return None
        return query_from_params(request.GET, page_size=FEED_SIZE, paged=False, default_sort="newest")

    def items(self, query: SearchQuery | None):
        cases = (
            Case.objects.filter(status__in=PUBLIC_STATES, published_at__isnull=False)
            .select_related("province", "campaign", "tier")
            .only(
                "id", "title", "summary", "published_at", "updated_at", "scenarios", "task_area", "key_groups",
                "province__name", "campaign__title", "tier__title",
            )
        )
        if query is None:
            return list(cases.order_by("-published_at", "-pk")[:FEED_SIZE])
        ids = search_cases(query).case_ids
        by_id = {case.pk: case for case in cases.filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]

    def item_title(self, item: Case) -> str:
        # Escaped like the description: readers render the title as HTML too.
        return escape(clean_line(item.title))

    def item_description(self, item: Case) -> str:
        # RSS readers show the description as HTML: the summary is text, so it is escaped here
        # (and once more as XML). Control characters, which XML cannot carry, are dropped.
        return escape(clean_text(item.summary))

    def item_link(self, item: Case) -> str:
        return reverse("website:case", args=[item.pk])

    def item_pubdate(self, item: Case):
        return item.published_at

    def item_updateddate(self, item: Case):
        return item.updated_at

    def item_categories(self, item: Case) -> list[str]:
        labels = [label_of(Scenario, c) for c in item.scenarios]
        if item.task_area:
            labels.append(label_of(TaskArea, item.task_area))
        labels += [label_of(KeyGroup, c) for c in item.key_groups]
        labels += [item.province.name, item.campaign.title]
        if item.tier_id:
            labels.append(item.tier.title)
        return list(dict.fromkeys(labels))

    def item_author_name(self, item: Case) -> str:
        return _("典型案例库")


def cases_feed(request):
    try:
        response = NewCasesFeed()(request)
    except QueryError as exc:
        response = HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    return cache_public(request, response)
