"""How long browsers and shared caches (the front cache, docs/deployment-cache.md) keep a response.

The one place of the policy. Views only say whether a page is public at all
(`website.http.cache_public`: no form, anonymous visitor); this middleware then

- turns anything personal into `private, no-store`, whatever a public-site view said (and
  anything personal that has no Cache-Control at all, such as the API): a request that is
  not GET/HEAD, an answer of 400 and above, a request with a session cookie or an
  `Authorization` header, a signed-in user, a response that sets a cookie;
- gives the public site's public responses their shared-cache lifetime (`s-maxage`) by URL name: long for the
  pages `website.frontcache` purges when a case changes, short for everything else, and at
  most `QUERY_MAX_AGE` for any URL with a query string (those are never purged: a search has
  endless variants), so a shared cache is never more than a minute behind on them.

Browsers keep public pages `BROWSER_MAX_AGE` at most: they cannot be purged.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import patch_vary_headers

BROWSER_MAX_AGE = 300
QUERY_MAX_AGE = 60
# Shared-cache lifetime of public responses whose URL name is not listed (open data, stats, ...).
DEFAULT_SHARED_MAX_AGE = 300
# Purged on every change of a published case (website/frontcache.py), so they may live long.
# Case pages: six hours bounds how long another case page may still link a revoked case as
# "related" (that link is not purged). Home and campaign pages show deadlines and open
# campaigns, which change with the clock and no event, hence a quarter of an hour.
SHARED_MAX_AGE = {
    "website:case": 6 * 3600,
    "website:library": 3600,
    "website:campaigns": 900,
    "website:campaign": 900,
    "website:notices": 60,
    "wagtail_serve": 900,  # the Wagtail pages: home, about, privacy
}
PRIVATE = "private, no-store"


def _directives(header: str) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for part in header.split(","):
        name, _eq, value = part.strip().partition("=")
        if name:
            out[name.lower()] = value or None
    return out


def _seconds(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() else None


def is_personal(request, response) -> bool:
    """Whether this answer may depend on who asked, or must not be kept at all."""
    if request.method not in ("GET", "HEAD") or response.status_code >= 400:
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return True
    if response.cookies:
        return True
    user = getattr(request, "user", None)  # without a session cookie: no database query
    return bool(user is not None and user.is_authenticated)


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def is_public_site(request) -> bool:
    """The public site's pages and open data; case files and the API keep their own headers."""
    name = _view_name(request)
    return name == "wagtail_serve" or name.startswith(("website:", "opendata:"))


def shared_max_age(request) -> int:
    seconds = SHARED_MAX_AGE.get(_view_name(request), DEFAULT_SHARED_MAX_AGE)
    if request.META.get("QUERY_STRING"):
        seconds = min(seconds, QUERY_MAX_AGE)
    return seconds


def apply(request, response):
    """The final Cache-Control of `response` (see the module docstring)."""
    current = _directives(response.get("Cache-Control", ""))
    site = is_public_site(request)
    if is_personal(request, response):
        if not current or (site and "public" in current):
            response["Cache-Control"] = PRIVATE
        return response
    if not site or "public" not in current:
        return response
    browser = min(_seconds(current.get("max-age")) or BROWSER_MAX_AGE, BROWSER_MAX_AGE)
    shared = shared_max_age(request)
    if browser < BROWSER_MAX_AGE:  # the view asked for a short life (e.g. a pending compilation)
        shared = min(shared, browser)
    browser = min(browser, shared)
    response["Cache-Control"] = f"public, max-age={browser}, s-maxage={shared}"
    patch_vary_headers(response, ["Cookie"])  # the display-mode cookies change the page
    return response


class CachePolicyMiddleware:
    """Sits outside the session and CSRF middleware, so it sees the cookies they set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return apply(request, self.get_response(request))
