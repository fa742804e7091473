"""The display switch (适老化): large text and high contrast, remembered in two cookies.

The switch is a pair of links to `/display/?text=large&next=…`, which set the cookie and come
back: it works without JavaScript. With JavaScript (`site.js`) the same links toggle the
class on <html> and write the same cookie without reloading. The server renders the classes
from the cookies, so the choice holds on every page from the first paint.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.http import urlencode

TEXT_COOKIE = "cb_text"
CONTRAST_COOKIE = "cb_contrast"
COOKIE_AGE = 365 * 24 * 3600
CHOICES = {"text": (TEXT_COOKIE, ("normal", "large")), "contrast": (CONTRAST_COOKIE, ("normal", "high"))}


@dataclass(frozen=True)
class Mode:
    large_text: bool = False
    high_contrast: bool = False

    @property
    def classes(self) -> str:
        names = []
        if self.large_text:
            names.append("text-large")
        if self.high_contrast:
            names.append("contrast-high")
        return " ".join(names)


def mode_of(request) -> Mode:
    return Mode(
        large_text=request.COOKIES.get(TEXT_COOKIE) == "large",
        high_contrast=request.COOKIES.get(CONTRAST_COOKIE) == "high",
    )


def switch_url(key: str, value: str, next_url: str) -> str:
    from django.urls import reverse

    return reverse("website:display") + "?" + urlencode({key: value, "next": next_url})
