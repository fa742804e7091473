"""Cache headers of the public pages (DESIGN: cheap to serve).

Anonymous visitors get `public, max-age=300` on pages without a form; anything with a form
(a CSRF token, personal data typed in) or shown to a signed-in user is `private, no-store`.
Pages vary on the display-mode cookies, so `Vary: Cookie` is always set.
"""

from __future__ import annotations

from django.utils.cache import patch_cache_control, patch_vary_headers

PUBLIC_MAX_AGE = 300


def cache_public(request, response, *, has_form: bool = False):
    if has_form or request.user.is_authenticated or request.method not in ("GET", "HEAD"):
        return no_store(response)
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])
    return response


def no_store(response):
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    patch_vary_headers(response, ["Cookie"])
    return response
