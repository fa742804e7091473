"""The Elasticsearch index of published cases (elasticsearch.dsl): mapping, analyzers, queries.

Text fields use the Chinese analyzer named by `SEARCH_ES_ANALYZER`: `cjk` (character bigrams,
no plugin needed; our own `cjk_fragments`, which is the built-in `cjk` analyzer without its
English stop words, so "IT培训" keeps "it") by default, or `smartcn` / IK (`ik_max_word` at index
time, `ik_smart` at search time) where the cluster has the plugin. Word analyzers miss
fragments that cut across words, so with them a `.bigrams` subfield keeps the bigrams too.
`MAPPING_VERSION` names this mapping: an index built for another version or analyzer is not
searched (search/backends/es_index.py) until `search_reindex` rebuilds it.
Short fields also get a `.chars` subfield (one token per character): a phrase query on it is
an exact substring search, which makes one-character queries and short fragments work.

User text only ever goes into `multi_match` queries as a value; nothing is parsed as query
syntax (no `query_string`).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from elasticsearch.dsl import (
    A,
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

from . import conf, es_synonyms
from .es_query import TextQuery
from .extract import CaseText, suggestion_inputs
from .query import DIMENSIONS, SearchQuery

# Bump when the mapping or the analysis changes: indexes built before are then reported as
# drifted and not searched until `search_reindex` (docs/search.md, "Changing the analyzer").
MAPPING_VERSION = 3  # 3: the synonym search analyzer
CJK_FRAGMENTS = analyzer("cjk_fragments", tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram"])
CHARS = analyzer("cjk_chars", tokenizer="standard", filter=["cjk_width", "lowercase"])
# Completion: the whole title or project name as one token, digits and Latin letters kept
# ("2025年…", "5G…"; the `simple` analyzer dropped everything but letters).
SUGGEST = analyzer("suggest_plain", tokenizer="keyword", filter=["cjk_width", "lowercase"])
# (index analyzer, search analyzer) per setting.
ANALYZER_PAIRS = {
    "cjk": (CJK_FRAGMENTS, CJK_FRAGMENTS),
    "smartcn": ("smartcn", "smartcn"),
    "ik_max_word": ("ik_max_word", "ik_smart"),
}
HIGHLIGHT_FRAGMENT = 120
# Facet buckets per dimension: more than any dimension has (34 provinces, years, campaigns).
FACET_SIZE = 1000


def analyzers(analyzer_name: str) -> tuple:
    """(index analyzer, search analyzer) of the text fields for one setting. At search time:
    the setting's own search analysis followed by the synonym dictionary (search/es_synonyms.py)."""
    return ANALYZER_PAIRS[analyzer_name][0], es_synonyms.search_analyzer(analyzer_name)


def _text(analyzer_name: str, *, chars: bool) -> Text:
    index_analyzer, search_analyzer = analyzers(analyzer_name)
    subfields = {}
    if chars:
        subfields["chars"] = Text(analyzer=CHARS)
    if analyzer_name != "cjk":
        subfields["bigrams"] = Text(analyzer=CJK_FRAGMENTS)
    return Text(analyzer=index_analyzer, search_analyzer=search_analyzer, fields=subfields)


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
        "suggest": Completion(analyzer=SUGGEST, preserve_separators=False, preserve_position_increments=False),
    }
    return type(f"CaseDocument_{analyzer_name}", (Document,), attrs)


def index_settings() -> dict:
    return {"number_of_shards": conf.shards(), "number_of_replicas": conf.replicas(), "max_result_window": 10_000}


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


def text_query(text: str, analyzer_name: str = "cjk", *, loose: bool = False) -> Query:
    """The relevance query for a user's words (search/es_query.py): the database backend's
    match and partial-match rules, term for term; `text` is only ever a value."""
    return TextQuery(text, analyzer_name).query(loose=loose)


def sort_for(query: SearchQuery) -> list:
    if query.ranked_by_text:
        return ["_score", "-published_at", "-case_id"]
    return ["-published_at", "-case_id"]


class CaseSearch(FacetedSearch):
    """Text, filters and facets in one request: a facet's counts ignore its own filter. With
    text, also the aggregations that tell partial from full matches (`TextQuery.aggregations`);
    `loose`: the cases with any word of the text (when the strict rule accepts none)."""

    facets = {dim: TermsFacet(field=dim, size=FACET_SIZE) for dim in DIMENSIONS}
    fields = ["title", "summary", "body"]

    def __init__(self, query: SearchQuery, *, index: str, using, analyzer_name: str = "cjk",
                 loose: bool = False, thesaurus=None):
        self.index = index
        self.using = using
        self.analyzer_name = analyzer_name
        self.loose = loose
        self.text = TextQuery(query.q, analyzer_name, thesaurus) if query.q else None
        super().__init__(query.q or None, filters=dict(query.filters), sort=sort_for(query))
        self._s = self._s.extra(track_total_hits=True)[query.offset : query.offset + query.page_size]

    def search(self):
        # Hits need only what a result card shows; the rest comes from the database.
        return super().search().source(["title", "summary"])

    def query(self, search, query):
        return search.query(self.text.query(loose=self.loose)) if self.text else search

    def aggregate(self, search) -> None:
        super().aggregate(search)
        if self.text and not self.text.empty and not self.loose:
            post_filter = None
            for f in self._filters.values():
                post_filter = f if post_filter is None else post_filter & f
            for name, agg in self.text.aggregations(post_filter).items():
                search.aggs[name] = A(agg)

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
