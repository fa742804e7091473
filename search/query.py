"""The search port: what a caller asks (`SearchQuery`) and what every backend answers.

Both backends take the same query and fill the same results, so the public site and the
API never know which one answered (except through `SearchResults.backend`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

MAX_QUERY_LENGTH = 200
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_DEPTH = 10_000
SORTS = ("relevance", "newest")
# Filter and facet dimensions, in the order of the "facets" of docs/api.md §Public endpoints.
DIMENSIONS = ("province", "scenario", "task", "group", "campaign", "tier", "year")
MAX_FILTER_VALUES = 50


class QueryError(ValueError):
    """Invalid input: `field` names the parameter, `message` is Chinese and says what to do."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    province: tuple[str, ...] = ()
    scenario: tuple[str, ...] = ()
    task: tuple[str, ...] = ()
    group: tuple[str, ...] = ()
    campaign: tuple[str, ...] = ()
    tier: tuple[str, ...] = ()
    year: tuple[int, ...] = ()
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    # False: search the text exactly as typed, never a homophone correction ("仍然搜索").
    correct: bool = True

    def __post_init__(self) -> None:
        q = self.q if isinstance(self.q, str) else ""
        object.__setattr__(self, "q", " ".join(q.split()))
        for dim in DIMENSIONS:
            values = getattr(self, dim)
            if isinstance(values, str | int):
                values = (values,)
            object.__setattr__(self, dim, tuple(dict.fromkeys(values)))
        self.clean()

    def clean(self) -> None:
        """Checks that need no database; codes are checked by `search.facets.check_codes`."""
        if len(self.q) > MAX_QUERY_LENGTH:
            raise QueryError("q", _("检索词不能超过 %(n)d 个字，请精简后重试。") % {"n": MAX_QUERY_LENGTH})
        if "\x00" in self.q:
            raise QueryError("q", _("检索词不能包含空字符。"))
        if self.sort not in SORTS:
            raise QueryError("sort", _("排序方式只能是 relevance（相关度）或 newest（最新发布）。"))
        if not isinstance(self.page, int) or self.page < 1:
            raise QueryError("page", _("页码必须是正整数。"))
        if not isinstance(self.page_size, int) or not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise QueryError("page_size", _("每页条数必须在 1 到 %(n)d 之间。") % {"n": MAX_PAGE_SIZE})
        if self.page * self.page_size > MAX_DEPTH:
            raise QueryError("page", _("最多只能翻到第 %(n)d 条结果，请缩小检索范围。") % {"n": MAX_DEPTH})
        for dim in DIMENSIONS:
            if len(getattr(self, dim)) > MAX_FILTER_VALUES:
                raise QueryError(dim, _("同一筛选条件最多选择 %(n)d 项。") % {"n": MAX_FILTER_VALUES})

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def filters(self) -> dict[str, tuple]:
        """The active filters: dimension → accepted values (OR within, AND across)."""
        return {dim: getattr(self, dim) for dim in DIMENSIONS if getattr(self, dim)}

    @property
    def ranked_by_text(self) -> bool:
        return bool(self.q) and self.sort == "relevance"

    def with_page(self, page: int, page_size: int | None = None) -> SearchQuery:
        return replace(self, page=page, page_size=page_size or self.page_size)


@dataclass(frozen=True)
class FacetValue:
    value: str | int
    label: str
    count: int


@dataclass(frozen=True)
class SearchHit:
    """One case found: its id, score (None when sorted by date) and HTML-safe highlights.

    `highlight` has "title" and "text" (a fragment of the summary or body): the case text is
    HTML-escaped and only `<mark>` tags are added, so it can be shown as HTML.
    """

    case_id: int
    score: float | None = None
    highlight: dict[str, str] = field(default_factory=dict)
    # A partial match: the query's words this case lacks (shown struck through).
    missing: tuple[str, ...] = ()


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetValue]]
    backend: str
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    # Cases matching the whole query (the rest of `total` match part of it); None: not known.
    full_total: int | None = None
    # The query's words that no case has, in any form (shown struck through).
    missing_words: tuple[str, ...] = ()
    # Homophone correction (search.correction): the results shown are those of
    # `corrected_query` instead of the typed text, or `suggested_query` is offered.
    corrected_query: str = ""
    suggested_query: str = ""

    @property
    def case_ids(self) -> list[int]:
        return [h.case_id for h in self.hits]
