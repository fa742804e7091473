"""Page numbers of the public lists (library, a campaign's cases, the 公示 list).

One reading of `?page=` for the lists that page in the database (campaign, notices): only
plain ASCII digits count, so `?page=abc`, `0`, `-1`, `²`, a NUL byte or a page past the end
give "no such page" (the views answer 404 with links to the first and last page), never a 500.
Page 1 has no `?page=` in its links (`query_with` drops it), so the page the front cache
purges is the first page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.shortcuts import render

_DIGITS = re.compile(r"[0-9]{1,6}")
# Cases per page of a campaign's list and of the 公示 list (paged in the database).
LIST_PAGE_SIZE = 20


def page_links(page: int, last: int) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20: numbers around the current page, None for a gap."""
    wanted = {1, last, *range(max(1, page - 2), min(last, page + 2) + 1)}
    links: list[int | None] = []
    previous = 0
    for n in sorted(wanted):
        if n - previous > 1:
            links.append(None)
        links.append(n)
        previous = n
    return links


@dataclass(frozen=True)
class Window:
    """One page of a list of `total` rows, `size` per page."""

    page: int
    total: int
    size: int

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def exists(self) -> bool:
        return 1 <= self.page <= self.last_page

    @property
    def first_position(self) -> int:
        return self.offset + 1

    @property
    def last_position(self) -> int:
        return min(self.total, self.offset + self.size)

    def context(self) -> dict:
        """What `website/includes/pagination.html` and the list headings read."""
        return {
            "page": self.page,
            "last_page": self.last_page,
            "total": self.total,
            "first_position": self.first_position,
            "last_position": self.last_position,
            "page_links": page_links(self.page, self.last_page) if self.exists and self.total > self.size else [],
        }


def requested_page(params) -> int:
    """The page asked for in the GET parameters; 0 (no such page) when it is not a page number."""
    text = params.get("page", "")
    if text == "":
        return 1
    return int(text) if _DIGITS.fullmatch(text) else 0


def no_such_page(request, template: str, context: dict, window: Window):
    """A page number that is not one of the list's pages: 404 with links to the first and last page."""
    context = {**context, **window.context(), "no_such_page": True, "cases": []}
    return render(request, template, context, status=404)
