"""The public search's query string, read once for every public entry point.

The library page (/cases/), its spreadsheet (/cases.csv), the feed (/feeds/cases.xml) and the
API (GET /api/v1/cases) all call `query_from_params`, so one query string means one search
everywhere (docs/search.md, "One query string"). Bad input raises `QueryError` with the
parameter's name and a Chinese message; each caller turns it into its own 400.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .query import DEFAULT_PAGE_SIZE, DIMENSIONS, QueryError, SearchQuery

# `correct=0`: the text exactly as typed, no homophone correction (the "仍然搜索" link).
NO = frozenset({"0", "false", "no", "off"})
# Longer than any page number `SearchQuery` accepts: enough to refuse, short enough to parse.
MAX_NUMBER_DIGITS = 6


def filter_values(params, name: str) -> tuple[str, ...]:
    """A filter's values: repeated (`province=a&province=b`) or comma-separated (`a,b`), blanks
    dropped. Codes, slugs and years never hold a comma, so both spellings mean the same."""
    return tuple(v.strip() for raw in params.getlist(name) for v in raw.split(",") if v.strip())


def _positive_int(params, name: str, default: int, message: str) -> int:
    text = (params.get(name) or "").strip()
    if not text:
        return default
    # Only ASCII digits: '²'.isdigit() is true, but int('²') raises.
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_NUMBER_DIGITS or int(text) < 1:
        raise QueryError(name, message)
    return int(text)


def query_from_params(
    params, *, page_size: int | None = None, paged: bool = True, default_sort: str = "relevance"
) -> SearchQuery:
    """`q`, the facet filters (OR within one, AND across), `sort`, `page`, `page_size` and
    `correct` (0: no homophone correction).

    `page_size`: fixed by the caller (the library shows 20), or None to read it from the
    parameters (the API). `paged=False` ignores `page` (the CSV streams every page itself).
    `default_sort` applies when `sort` is absent (the feed lists newest first).
    """
    filters: dict[str, tuple] = {}
    for dim in DIMENSIONS:
        values = filter_values(params, dim)
        if dim == "year":
            if any(not (v.isascii() and v.isdigit()) or len(v) != 4 for v in values):
                raise QueryError("year", _("年度必须是四位数字，如 2025。"))
            filters[dim] = tuple(int(v) for v in values)
        else:
            filters[dim] = values
    page = _positive_int(params, "page", 1, _("页码必须是正整数。")) if paged else 1
    if page_size is None:
        page_size = _positive_int(params, "page_size", DEFAULT_PAGE_SIZE, _("每页条数必须是正整数。"))
    q = params.get("q", "")
    return SearchQuery(
        q=q if isinstance(q, str) else "",
        sort=params.get("sort", "") or default_sort,
        page=page,
        page_size=page_size,
        correct=(params.get("correct") or "1").strip().lower() not in NO,
        **filters,
    )
