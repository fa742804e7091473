"""What a case page shows, and the visitor-independent part of it kept rendered in the cache.

Everything on a case page but the adoption-report form (and its messages) is the same for every
visitor: the texts, images, indicators, links, downloads, adoption reports, facts and related
cases (`visible_attachments` is asked for an anonymous visitor whoever is signed in). That part
is rendered once into three fragments (head metadata, the page up to the form, the rest) and
kept under a key that carries a *token* per case and a global one; whatever could change it
replaces the token once it commits: the case saved or moving between states, one of its images,
attachments, links or adoption reports saved or deleted (the case's token), a campaign, tier or
category saved (the global token). A hit costs one small query for the case (still published?
when last changed?) and two cache reads instead of nine queries and the whole template
(docs/performance.md). The
related cases are cached for RELATED_CACHE_SECONDS anyway, and the fragments live no longer.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cases.models import (
    Adoption,
    Campaign,
    CampaignCategory,
    Case,
    CaseAttachment,
    CaseImage,
    CaseIndicator,
    CaseLink,
    Tier,
)
from cases.permissions import visible_attachments
from cases.signals import case_transitioned
from cases.taxonomies import KeyGroup, Scenario, label_of
from search.service import related_cases

from . import selectors
from .home import LIBRARY_TOKEN
from .renditions import OG_SPEC, image_url

# Related cases are the most expensive part of a case page (a BM25 pass over the postings of
# the case's distinctive terms across the library) and change only as the library does: their
# ids are cached for a while. `cases_by_ids` still drops any that is no longer published.
RELATED_CACHE_SECONDS = 600
FRAGMENT_SECONDS = RELATED_CACHE_SECONDS
FRAGMENTS = ("meta", "main", "end")
GLOBAL_TOKEN = "website:case-page:token"  # noqa: S105 (a cache key, not a secret)


def _token_key(case_id: int) -> str:
    return f"website:case-page:token:{case_id}"


def related_ids(case: Case) -> list[int]:
    key = f"website:related:{case.pk}"
    ids = cache.get(key)
    if ids is None:
        ids = [h.case_id for h in related_cases(case, limit=3)]
        cache.set(key, ids, RELATED_CACHE_SECONDS)
    return ids


def json_ld(request, case: Case, cover) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": case.title,
        "description": case.summary,
        "inLanguage": "zh-Hans",
        "url": request.build_absolute_uri(request.path),
        "datePublished": case.published_at.isoformat() if case.published_at else None,
        "dateModified": case.updated_at.isoformat() if case.updated_at else None,
        "articleSection": case.tier.title if case.tier else None,
        "isPartOf": {"@type": "CreativeWork", "name": case.campaign.title,
                     "url": request.build_absolute_uri(reverse("website:campaign", args=[case.campaign.slug]))},
        "spatialCoverage": {"@type": "Place", "name": case.region.name, "identifier": case.region_id},
        "author": {"@type": "Organization", "name": case.organisation} if case.organisation else None,
        "publisher": {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME},
        "keywords": [label_of(Scenario, s) for s in case.scenarios] + [label_of(KeyGroup, g) for g in case.key_groups],
    }
    if cover is not None:
        data["image"] = request.build_absolute_uri(image_url(cover, OG_SPEC))
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def context(request, case: Case) -> dict:
    """What the visitor-independent part of the page shows (9 queries, the related cases cached)."""
    images = list(case.images.all())
    cover = next((i for i in images if i.is_cover), images[0] if images else None)
    adoption_list = selectors.public_adoptions(case)
    return {
        "case": case,
        "images": images,
        "cover": cover,
        "indicators": list(case.indicators.all()),
        "links": list(case.links.all()),
        # What the public may download, whoever is signed in (a recommendation letter never).
        "attachments": list(visible_attachments(AnonymousUser(), case)),
        "adoptions": adoption_list,
        "adopting_regions": len({a.region_id for a in adoption_list}),
        "related": selectors.cases_by_ids(related_ids(case)),
        "json_ld": json_ld(request, case, cover),
        "canonical_url": request.build_absolute_uri(request.path),
        "og_image": request.build_absolute_uri(image_url(cover, OG_SPEC)) if cover else "",
        "description": case.summary or strip_tags(case.approach)[:120],
    }


def _fragments_key(request, case: Case, tokens: dict) -> str:
    own, shared = tokens.get(_token_key(case.pk), "0"), tokens.get(GLOBAL_TOKEN, "0")
    # The case's own last change is in the key too: should a token be evicted from the cache,
    # an edit of the case still never meets fragments rendered before it.
    changed = case.updated_at.timestamp() if case.updated_at else 0
    # The host and scheme are in the absolute URLs of the metadata; the language in every label.
    origin = f"{request.scheme}://{request.get_host()}"
    return f"website:case-page:{case.pk}:{changed}:{own}:{shared}:{get_language()}:{origin}"


def page(request, pk: int) -> tuple[Case, dict[str, SafeString]] | None:
    """The case (None when it is not published) and its rendered, visitor-independent fragments."""
    brief = selectors.published_case_brief(pk)
    if brief is None:
        return None
    tokens = cache.get_many([_token_key(pk), GLOBAL_TOKEN])
    key = _fragments_key(request, brief, tokens)
    fragments = cache.get(key)
    if fragments is not None:
        return brief, {name: mark_safe(html) for name, html in fragments.items()}  # noqa: S308 (our templates)
    case = selectors.published_case(pk)
    if case is None:
        return None
    values = context(request, case)
    fragments = {name: render_to_string(f"website/includes/case_page_{name}.html", values, request)
                 for name in FRAGMENTS}
    cache.set(key, {name: str(html) for name, html in fragments.items()}, FRAGMENT_SECONDS)
    return case, {name: mark_safe(html) for name, html in fragments.items()}  # noqa: S308 (our templates)


# --- invalidation (connected in website/apps.py) -------------------------------------------


def _renew(key: str) -> None:
    """A new token for `key` and for the home page's library sections (`website/home.py`), now (this transaction's own reads see the change at once) and again once the
    change commits: a request that read the old data in between may have stored its fragments
    under the first one, never under the token that readers use from then on."""

    def renew() -> None:
        cache.set_many({key: uuid.uuid4().hex, LIBRARY_TOKEN: uuid.uuid4().hex}, None)

    renew()
    transaction.on_commit(renew)


def on_case_changed(sender, *, instance: Case, **kwargs) -> None:
    _renew(_token_key(instance.pk))


def on_case_transitioned(sender, *, case: Case, **kwargs) -> None:
    # Bulk moves save with update(), which sends no post_save; they do send this.
    cache.set_many({_token_key(case.pk): uuid.uuid4().hex, LIBRARY_TOKEN: uuid.uuid4().hex}, None)  # after commit


def on_case_part_changed(sender, *, instance, **kwargs) -> None:
    if instance.case_id:
        _renew(_token_key(instance.case_id))


def on_shared_changed(sender, **kwargs) -> None:
    _renew(GLOBAL_TOKEN)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    case_transitioned.connect(on_case_transitioned, dispatch_uid="website.case_page.transitioned")
    post_save.connect(on_case_changed, sender=Case, dispatch_uid="website.case_page.case")
    for model in (CaseImage, CaseAttachment, CaseLink, CaseIndicator, Adoption):
        for signal in (post_save, post_delete):
            signal.connect(on_case_part_changed, sender=model, dispatch_uid=f"website.case_page.{model.__name__}")
    for model in (Campaign, Tier, CampaignCategory):
        for signal in (post_save, post_delete):
            signal.connect(on_shared_changed, sender=model, dispatch_uid=f"website.case_page.{model.__name__}")
