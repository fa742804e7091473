"""The home page's library sections (headline counts, open campaigns, featured and latest cases),
kept rendered in the cache until the library changes (issue 18: the home page ≤ 25× a static file).

They are the same for every visitor and cost ~10 queries and the cards' template. They are kept
under a *library token* that `website/case_page.py` renews whenever a case page could change (a
case saved or moving between states, one of its parts, a campaign, tier or category), and under
today's date (the deadlines say "还剩 N 天"). A hit is one cache read; a token lost from the cache
falls back to a key whose fragment lives at most `SECONDS`.
"""

from __future__ import annotations

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import selectors

LIBRARY_TOKEN = "website:library:token"  # noqa: S105 (a cache key, not a secret)
SECONDS = 600


def library_context() -> dict:
    featured = selectors.featured(limit=3)
    shown = {c.pk for c in featured}
    return {
        "counts": selectors.headline_counts(),
        "featured_cases": featured,
        "latest_cases": [c for c in selectors.latest_published(limit=6 + len(shown)) if c.pk not in shown][:6],
        "open_campaigns": selectors.open_campaigns(),
    }


def library_sections(request) -> SafeString:
    token = cache.get(LIBRARY_TOKEN) or "0"
    key = f"website:home:{token}:{get_language()}:{timezone.localdate().isoformat()}"
    html = cache.get(key)
    if html is None:
        html = str(render_to_string("website/includes/home_library.html", library_context(), request))
        cache.set(key, html, SECONDS)
    return mark_safe(html)  # noqa: S308 (our template's output)
