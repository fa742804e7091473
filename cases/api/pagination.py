"""The list envelope of docs/api.md §Conventions: {"count", "page", "page_size", "results"} with its limits."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_DEPTH = 10_000


def parse_paging(params) -> tuple[int, int]:
    """Validated (page, page_size) from query parameters; raises a 400 with a Chinese message."""

    def as_int(name: str, default: int) -> int:
        raw = params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValidationError({name: [_("必须是正整数。")]}) from None
        if value < 1:
            raise ValidationError({name: [_("必须是正整数。")]})
        return value

    page = as_int("page", 1)
    size = as_int("page_size", DEFAULT_PAGE_SIZE)
    if size > MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [_("每页最多 %(n)d 条。") % {"n": MAX_PAGE_SIZE}]})
    if page * size > MAX_DEPTH:
        raise ValidationError(
            {"page": [_("最多只能翻到第 %(n)d 条结果，请缩小检索范围。") % {"n": MAX_DEPTH}]}
        )
    return page, size


def envelope(*, count: int, page: int, page_size: int, results: list, **extra) -> dict:
    return {"count": count, "page": page, "page_size": page_size, "results": results, **extra}


class EnvelopePagination(pagination.BasePagination):
    def paginate_queryset(self, queryset, request, view=None):
        self.page, self.page_size = parse_paging(request.query_params)
        self.count = queryset.count() if hasattr(queryset, "count") and not isinstance(queryset, list) else len(queryset)
        start = (self.page - 1) * self.page_size
        return list(queryset[start : start + self.page_size])

    def get_paginated_response(self, data):
        return Response(envelope(count=self.count, page=self.page, page_size=self.page_size, results=data))

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "page", "page_size", "results"],
            "properties": {
                "count": {"type": "integer"},
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [{"name": name, "in": "query", "required": False, "schema": schema, "description": text}
                for name, (schema, text) in PAGING_SCHEMAS.items()]


# The limits parse_paging enforces, as the OpenAPI document states them (every list endpoint,
# whether paginated by EnvelopePagination or by hand through PAGE_PARAMETERS).
PAGING_SCHEMAS = {
    "page": ({"type": "integer", "minimum": 1, "maximum": MAX_DEPTH, "default": 1},
             "页码，从 1 开始；页码 × 每页条数不超过 10000 / page number, from 1"),
    "page_size": ({"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
                  "每页条数，默认 20，最多 100 / items per page"),
}
PAGE_PARAMETERS = [OpenApiParameter(name, schema, description=text) for name, (schema, text) in PAGING_SCHEMAS.items()]
