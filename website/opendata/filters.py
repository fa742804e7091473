"""The library's filters read from a query string (for /cases.csv: the same results as /cases/)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from search.query import DIMENSIONS, MAX_QUERY_LENGTH, QueryError, SearchQuery


def search_query(params, *, page_size: int) -> SearchQuery:
    """`q`, the facet filters (repeatable: OR within, AND across) and `sort`; the page is ours."""
    q = params.get("q", "")
    if len(" ".join(q.split())) > MAX_QUERY_LENGTH:
        raise QueryError("q", _("检索词不能超过 %(n)d 个字，请精简后重试。") % {"n": MAX_QUERY_LENGTH})
    filters: dict[str, tuple] = {}
    for key in DIMENSIONS:
        values = [v.strip() for raw in params.getlist(key) for v in raw.split(",") if v.strip()]
        if key == "year":
            if any(not (v.isascii() and v.isdigit()) or len(v) != 4 for v in values):
                raise QueryError("year", _("年度必须是四位数字，如 2025。"))
            filters[key] = tuple(int(v) for v in values)
        else:
            filters[key] = tuple(values)
    sort = params.get("sort", "") or "relevance"
    return SearchQuery(q=q, sort=sort, page=1, page_size=page_size, **filters)
