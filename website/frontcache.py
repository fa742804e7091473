"""Purging the front cache (Varnish, docs/deployment-cache.md) when what the public sees changes.

After a change commits, the pages that show it are purged through Wagtail's frontend cache
(`wagtail.contrib.frontend_cache`: one PURGE request per URL to FRONTEND_CACHE_URL):

- a case published, revoked, entering or leaving 公示 (`case_transitioned`, the signal the
  search index follows, search/indexing.py);
- a published case corrected in place: its text, images, attachments, links, adoptions;
- a campaign saved (its title, dates and state show on the home and campaign pages).

Purged for a case: its page, its campaign's page and 汇编 PDF, the pages that list it as related
(best effort: after a revocation the index no longer knows them), and every list that may show
it: home, the library's first page, campaigns, 公示 list, feed, sitemap, CSV, statistics.
Library pages with a query are never purged; their shared lifetime is a minute
(website/cache_policy.py). With FRONTEND_CACHE_URL unset nothing here runs, not even a query.
Wagtail's own pages (home, about, privacy) are purged by Wagtail when an editor publishes them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

from cases.models import Adoption, Campaign, Case, CaseAttachment, CaseImage, CaseLink
from cases.signals import case_transitioned
from cases.states import CaseStatus
from search.service import related_cases

logger = logging.getLogger(__name__)

# States whose cases appear on public pages (the 公示 list and counts show cases in notice).
SHOWN_STATES = frozenset({CaseStatus.PUBLISHED, CaseStatus.IN_NOTICE})
LISTS = ("website:library", "website:campaigns", "website:notices",
         "opendata:feed", "opendata:sitemap", "opendata:cases_csv", "opendata:stats")
RELATED_LIMIT = 5  # case pages show 3 related cases; a wider net costs one PURGE each
REPURGE_AFTER = timedelta(seconds=10)


def enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


class PurgeBackend(HTTPBackend):
    """Wagtail's HTTPBackend with a timeout, giving up a batch at the first failure.

    Purges run after commit in the request that changed the case (or in a task worker): an
    unreachable cache must cost seconds, not one TCP timeout per URL. A cache that is down
    holds nothing to purge once restarted (Varnish keeps its objects in memory).
    """

    def __init__(self, params):
        params = dict(params)
        self.timeout = float(params.pop("TIMEOUT", 2))
        super().__init__(params)

    def purge(self, url) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls) -> None:
        urls = list(urls)
        for done, url in enumerate(urls):
            parts = urlsplit(url)
            host = parts.hostname + (f":{parts.port}" if parts.port else "")
            request = PurgeRequest(
                url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""]),
                headers={"Host": host, "User-Agent": "Wagtail-frontendcache/" + wagtail_version},
            )
            try:
                urlopen(request, timeout=self.timeout).close()  # noqa: S310 - LOCATION comes from settings
            except (HTTPError, URLError, OSError) as exc:
                logger.error("front cache: purge of %s failed (%s); %d more URL(s) not purged",
                             url, exc, len(urls) - done - 1)
                return


def site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def list_paths() -> list[str]:
    return ["/", *(reverse(name) for name in LISTS)]


def campaign_paths(slug: str) -> list[str]:
    return [reverse("website:campaign", args=[slug]), reverse("opendata:compilation", args=[slug])]


def related_paths(case_id: int) -> list[str]:
    try:
        hits = related_cases(case_id, limit=RELATED_LIMIT)
    except Exception:  # best effort: a search failure must not stop the purge of the case itself
        logger.exception("front cache: related cases of %s unknown", case_id)
        return []
    return [reverse("website:case", args=[h.case_id]) for h in hits]


def case_paths(case: Case) -> list[str]:
    """Every path whose page may show `case` (module docstring)."""
    paths = [reverse("website:case", args=[case.pk]), *campaign_paths(case.campaign.slug), *list_paths()]
    return list(dict.fromkeys([*paths, *related_paths(case.pk)]))


def purge_paths(paths: Iterable[str]) -> None:
    if enabled():
        purge_urls_from_cache([site_url(p) for p in dict.fromkeys(paths)])


def purge_case(case_id: int, *, shown_only: bool = False) -> None:
    """Purge the pages of a case; `shown_only`: only if the public sees it now."""
    if not enabled():
        return
    case = Case.objects.select_related("campaign").only("pk", "status", "campaign__slug").filter(pk=case_id).first()
    if case is None or (shown_only and case.status not in SHOWN_STATES):
        return
    purge_paths(case_paths(case))


@task()
def purge_case_task(case_id: int, shown_only: bool = False) -> None:
    """The purge off the request when a task worker runs (a batch publication asks for many)."""
    purge_case(case_id, shown_only=shown_only)


def schedule(case_id: int, *, shown_only: bool = False) -> None:
    """Purge now and, with a task worker, once more a little later: a request that read the
    case just before the change committed may store its old page after the first purge."""
    if not enabled():
        return
    purge_case_task.enqueue(case_id, shown_only)
    if purge_case_task.get_backend().supports_defer:
        purge_case_task.using(run_after=timezone.now() + REPURGE_AFTER).enqueue(case_id, shown_only)


# --- hooks (connected in website/apps.py) ------------------------------------------------------


def on_case_transitioned(sender, *, case: Case, record, **kwargs) -> None:
    """Runs after commit (cases.signals.case_transitioned): into or out of a publicly shown state."""
    if record.to_state in SHOWN_STATES or record.from_state in SHOWN_STATES:
        schedule(case.pk)


def on_case_saved(sender, *, instance: Case, created: bool, update_fields=None, **kwargs) -> None:
    """A published case corrected in place; state changes are left to on_case_transitioned."""
    if not enabled() or created or instance.status != CaseStatus.PUBLISHED:
        return
    if update_fields and "status" in update_fields:
        return
    case_id = instance.pk
    transaction.on_commit(lambda: schedule(case_id))


def on_case_part_changed(sender, *, instance, **kwargs) -> None:
    """An image, attachment, link or adoption of a case saved or deleted."""
    if not enabled() or not instance.case_id:
        return
    case_id = instance.case_id
    transaction.on_commit(lambda: schedule(case_id, shown_only=True))


def on_campaign_saved(sender, *, instance, created: bool, **kwargs) -> None:
    if not enabled() or created:
        return
    slug = instance.slug
    transaction.on_commit(lambda: purge_paths([*campaign_paths(slug), *list_paths()]))


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    case_transitioned.connect(on_case_transitioned, dispatch_uid="website.frontcache.transitioned")
    post_save.connect(on_case_saved, sender=Case, dispatch_uid="website.frontcache.case")
    post_save.connect(on_campaign_saved, sender=Campaign, dispatch_uid="website.frontcache.campaign")
    for model in (CaseImage, CaseAttachment, CaseLink, Adoption):
        for signal in (post_save, post_delete):
            signal.connect(on_case_part_changed, sender=model, dispatch_uid=f"website.frontcache.{model.__name__}")
