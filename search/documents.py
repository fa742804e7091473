"""The Elasticsearch index of published cases (elasticsearch.dsl): mapping, analyzers, queries.

Text fields use the Chinese analyzer named by `SEARCH_ES_ANALYZER`: the built-in `cjk`
(character bigrams, no plugin needed) by default, or `smartcn` / IK (`ik_max_word` at index
time, `ik_smart` at search time) where the cluster has the plugin. Word analyzers miss
fragments that cut across words, so with them a `.bigrams` subfield keeps the bigrams too.
Short fields also get a `.chars` subfield (one token per character): a phrase query on it is
an exact substring search, which makes one-character queries and short fragments work.

User text only ever goes into `multi_match` queries as a value; nothing is parsed as query
syntax (no `query_string`).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from elasticsearch.dsl import (
    Completion,
    Date,
    Document,
    FacetedSearch,
    Integer,
    Keyword,
    Q,
    TermsFacet,
    Text,
    analyzer,
)
from elasticsearch.dsl.query import Query

from . import es_synonyms
from .extract import CaseText, suggestion_inputs
from .query import DIMENSIONS, SearchQuery
from .segment import needed, runs

CJK_FRAGMENTS = analyzer("cjk_fragments", tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram"])
CHARS = analyzer("cjk_chars", tokenizer="standard", filter=["cjk_width", "lowercase"])
# (index analyzer, search analyzer) per setting.
ANALYZER_PAIRS = {"cjk": ("cjk", "cjk"), "smartcn": ("smartcn", "smartcn"), "ik_max_word": ("ik_max_word", "ik_smart")}
FIELD_BOOSTS = {"title": 4, "summary": 2, "about": 1.5, "body": 1}
SHORT_FIELDS = ("title", "summary", "about")
MINIMUM_SHOULD_MATCH = "3<75%"
HIGHLIGHT_FRAGMENT = 120


def _text(analyzer_name: str, *, chars: bool) -> Text:
    index_analyzer, _search = ANALYZER_PAIRS[analyzer_name]
    subfields = {}
    if chars:
        subfields["chars"] = Text(analyzer=CHARS)
    if analyzer_name != "cjk":
        subfields["bigrams"] = Text(analyzer=CJK_FRAGMENTS)
    # At search time the same analysis plus the synonym dictionary (search/es_synonyms.py).
    return Text(analyzer=index_analyzer, search_analyzer=es_synonyms.search_analyzer(analyzer_name), fields=subfields)


@cache
def document_class(analyzer_name: str = "cjk") -> type[Document]:
    """The `Document` for one analyzer setting (the mapping is fixed when the class is made)."""
    attrs = {
        "__doc__": "A published case as Elasticsearch stores it; keyword fields feed the facets.",
        "case_id": Integer(),
        "title": _text(analyzer_name, chars=True),
        "summary": _text(analyzer_name, chars=True),
        "about": _text(analyzer_name, chars=True),
        "body": _text(analyzer_name, chars=False),
        "province": Keyword(),
        "scenario": Keyword(multi=True),
        "task": Keyword(),
        "group": Keyword(multi=True),
        "campaign": Keyword(),
        "tier": Keyword(),
        "year": Integer(),
        "published_at": Date(default_timezone="Asia/Shanghai"),
        "digest": Keyword(index=False, doc_values=False),
        "suggest": Completion(analyzer="simple", preserve_separators=False, preserve_position_increments=False),
    }
    return type(f"CaseDocument_{analyzer_name}", (Document,), attrs)


def index_settings() -> dict:
    return {"number_of_shards": 1, "number_of_replicas": 0, "max_result_window": 10_000}


def make_document(text: CaseText, analyzer_name: str = "cjk") -> Document:
    cls = document_class(analyzer_name)
    facets = text.facets
    return cls(
        meta={"id": text.case_id},
        case_id=text.case_id,
        title=text.title,
        summary=text.summary,
        about=text.about,
        body=text.body,
        province=next(iter(facets["province"]), None),
        scenario=list(facets["scenario"]),
        task=next(iter(facets["task"]), None),
        group=list(facets["group"]),
        campaign=next(iter(facets["campaign"]), None),
        tier=next(iter(facets["tier"]), None),
        year=next(iter(facets["year"]), None),
        published_at=text.published_at,
        digest=text.digest(),
        suggest={"input": suggestion_inputs(text.title)},
    )


def versioned_name(alias: str, now: datetime | None = None) -> str:
    """A new concrete index name behind `alias`, e.g. casebook-cases-20261123T200102123456."""
    return f"{alias}-{(now or datetime.now()).strftime('%Y%m%dt%H%M%S%f')}"


# --- queries ---------------------------------------------------------------------------


def _fields(names, suffix: str = "") -> list[str]:
    return [f"{n}{suffix}^{FIELD_BOOSTS[n]}" for n in names]


def text_query(text: str, analyzer_name: str = "cjk") -> Query:
    """The relevance query for a user's words; `text` is only ever a value.

    The match rules mirror the database backend: the text is split into runs (of Chinese
    characters, or of Latin letters and digits); each run must match — most of its tokens in
    any field, or as an exact substring of a short field — and all runs are required up to
    three, three quarters of them beyond. Phrase matches only add to the score.
    """
    parts = list(dict.fromkeys(run for run, _han in runs(text)))
    if not parts:
        return Q("match_none")
    main = ("title", "summary", "about", "body")

    def part_query(part: str) -> Query:
        should = [
            Q("multi_match", query=part, type="cross_fields", fields=_fields(main), operator="or",
              minimum_should_match=MINIMUM_SHOULD_MATCH),
            Q("multi_match", query=part, type="phrase", fields=_fields(SHORT_FIELDS, ".chars")),
        ]
        if analyzer_name != "cjk":
            should.append(Q("multi_match", query=part, type="cross_fields", fields=_fields(main, ".bigrams"),
                            operator="or", minimum_should_match=MINIMUM_SHOULD_MATCH))
        return Q("bool", should=should, minimum_should_match=1)

    matches = Q("bool", should=[part_query(p) for p in parts], minimum_should_match=needed(len(parts)))
    boosts = [
        Q("multi_match", query=text, type="phrase", fields=_fields(SHORT_FIELDS, ".chars"), boost=2),
        Q("multi_match", query=text, type="phrase", fields=_fields(("title", "summary", "body"))),
    ]
    return Q("bool", must=[matches], should=boosts)


def sort_for(query: SearchQuery) -> list:
    if query.ranked_by_text:
        return ["_score", "-published_at", "-case_id"]
    return ["-published_at", "-case_id"]


class CaseSearch(FacetedSearch):
    """Text, filters and facets in one request: a facet's counts ignore its own filter."""

    facets = {dim: TermsFacet(field=dim, size=100) for dim in DIMENSIONS}
    fields = ["title", "summary", "body"]

    def __init__(self, query: SearchQuery, *, index: str, using, analyzer_name: str = "cjk"):
        self.index = index
        self.using = using
        self.analyzer_name = analyzer_name
        super().__init__(query.q or None, filters=dict(query.filters), sort=sort_for(query))
        self._s = self._s.extra(track_total_hits=True)[query.offset : query.offset + query.page_size]

    def search(self):
        # Hits need only what a result card shows; the rest comes from the database.
        return super().search().source(["title", "summary"])

    def query(self, search, query):
        return search.query(text_query(query, self.analyzer_name)) if query else search

    def highlight(self, search):
        """HTML-escaped text with <mark> around matches (the `html` encoder escapes first)."""
        search = search.highlight_options(encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"],
                                          require_field_match=False)
        search = search.highlight("title", "title.chars", number_of_fragments=0)
        return search.highlight("summary", "summary.chars", "body", fragment_size=HIGHLIGHT_FRAGMENT,
                                number_of_fragments=1)


def related_query(case_id: int, index: str, groups: list[str], task: str | None) -> Query:
    """more_like_this on the case's text, nudged by shared key groups and task area."""
    should = [
        Q("more_like_this", fields=["title", "summary", "body"], like=[{"_index": index, "_id": str(case_id)}],
          min_term_freq=1, min_doc_freq=1, max_query_terms=25, minimum_should_match="10%"),
    ]
    if groups:
        should.append(Q("terms", group=groups, boost=0.5))
    if task:
        should.append(Q("term", task={"value": task, "boost": 0.3}))
    return Q("bool", must=[should[0]], should=should[1:], must_not=[Q("ids", values=[str(case_id)])])
