"""The home page's library sections (headline counts, open campaigns, featured and latest cases),
kept rendered in the cache until the library changes (issue 18: the home page ≤ 25× a static file).

They are the same for every visitor and cost ~10 queries and the cards' template. They are kept
under a *library token* that `website/case_page.py` renews whenever a case page could change (a
case saved or moving between states, one of its parts, a campaign, tier or category), and under
today's date (the deadlines say "还剩 N 天"). A hit is one cache read; a token lost from the cache
reads as "0", and sections rendered under it live at most `SECONDS`.
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
    """One cache read: the token and the sections together; the sections carry the token they
    were rendered under, and count only while it is still the current one."""
    key = f"website:home:{get_language()}:{timezone.localdate().isoformat()}"
    found = cache.get_many([LIBRARY_TOKEN, key])
    token = found.get(LIBRARY_TOKEN) or "0"
    kept = found.get(key)
    if kept and kept[0] == token:
        return mark_safe(kept[1])  # noqa: S308 (our template's output)
    html = str(render_to_string("website/includes/home_library.html", library_context(), request))
    cache.set(key, (token, html), SECONDS)
    return mark_safe(html)  # noqa: S308 (our template's output)
