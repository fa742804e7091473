"""The Elasticsearch backend (production): one alias in front of versioned indexes.

Searches have a short timeout (`SEARCH_ES_TIMEOUT`) and no retries; maintenance has its own,
longer one. Errors leave as `BackendUnavailable` (the service fails over for a while) or
`BackendError` (answered from the database, logged loudly and counted): es_client.py.
The index answers only after a completed build (es_index.py); writes are versioned and judged
item by item (es_bulk.py). docs/search.md explains how to run it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.utils.html import escape
from elasticsearch.dsl import Search

from cases.models import Case

from .. import conf, highlight, synonyms
from ..documents import CaseSearch, related_query
from ..extract import CaseText, case_text
from ..facets import build_facets
from ..query import DIMENSIONS, SearchHit, SearchQuery, SearchResults
from . import BackendError, BackendNotReady, Progress, es_index
from .es_bulk import WriteOutcome, delete_actions, index_actions, version_stamp, write
from .es_client import client, problems, translated_errors
from .es_index import IndexState, RebuildLock
from .es_rebuild import rebuild

MERGED_MARKS = re.compile(r"</mark>(\s*)<mark>")


def merge_marks(html: str) -> str:
    """One mark per matched phrase, not one per bigram or character ("<mark>老年人</mark>")."""
    return MERGED_MARKS.sub(r"\1", html)


@contextmanager
def _guarded() -> Iterator[None]:
    """Errors translated; an index deleted since the last look is "not ready", and re-read next time."""
    try:
        with translated_errors():
            yield
    except BackendError as error:
        if "index_not_found" in str(error):
            es_index.forget()
            raise BackendNotReady(str(error), kind="missing") from error
        raise


def _first(hl, *names: str) -> str | None:
    """The first fragment of the first field that has one ("title.chars" is a key, not a path)."""
    data = hl.to_dict() if hl is not None else {}
    for name in names:
        if data.get(name):
            return merge_marks(data[name][0])
    return None


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, es=None, *, alias: str | None = None, analyzer_name: str | None = None):
        if es is None:
            if found := problems():
                raise BackendError("; ".join(found), kind="config")
            es = client()
        self.es = es
        self.alias = alias or conf.index_alias()
        self.analyzer = analyzer_name or conf.analyzer()

    # --- the index behind the alias -----------------------------------------------------------

    def state(self, *, fresh: bool = False) -> IndexState:
        read = es_index.read_state if fresh else es_index.state
        return read(self.es, self.alias, self.analyzer)

    def _ready(self) -> None:
        current = self.state()
        if not current.ready:
            raise BackendNotReady(current.problem, kind=current.kind)

    # --- searching ------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        """One request; a second only when the text has words somewhere but no case has most
        of them (then the cases with any word, as the database backend: coverage.accepted)."""
        self._ready()
        response, text = self._execute(query)
        full, missing = None, ()
        if text is not None and not text.empty:
            found = text.read_aggregations(response.aggregations.to_dict())
            full, missing = found.full, tuple(found.missing)
            if not found.accepted and found.anywhere:
                response, _text = self._execute(query, loose=True)
                full = 0
        total = response.hits.total.value
        counts = {dim: {value: n for value, n, _selected in response.facets[dim]} for dim in DIMENSIONS}
        hits = [
            SearchHit(
                case_id=int(hit.meta.id),
                score=hit.meta.score if query.ranked_by_text else None,
                highlight=self._highlight(hit),
                missing=text.coverage(getattr(hit.meta, "matched_queries", None)).missing if text else (),
            )
            for hit in response
        ]
        return SearchResults(hits, total, build_facets(counts), self.name, query.page, query.page_size,
                             full_total=total if full is None else full, missing_words=missing)

    def _execute(self, query: SearchQuery, *, loose: bool = False):
        faceted = CaseSearch(query, index=self.alias, using=self.es, analyzer_name=self.analyzer, loose=loose,
                             thesaurus=synonyms.current() if query.q else None)
        with _guarded():
            response = faceted.execute()
        return response, faceted.text

    @staticmethod
    def _highlight(hit) -> dict[str, str]:
        hl = getattr(hit.meta, "highlight", None)
        summary = getattr(hit, "summary", "") or ""
        title = _first(hl, "title", "title.chars") or escape(getattr(hit, "title", ""))
        text = _first(hl, "summary", "summary.chars", "body")
        if text is None:
            text = highlight.plain_fragment(summary)
        return {"title": title, "text": text}

    def related(self, case_id: int, limit: int = 5) -> list[SearchHit]:
        from elasticsearch import NotFoundError

        self._ready()
        with _guarded():
            try:
                source = self.es.get(index=self.alias, id=str(case_id), source_includes=["group", "task"]).body
            except NotFoundError as exc:
                if "index_not_found" in str(exc.body):
                    raise
                return []
            doc = source.get("_source", {})
            search = (
                Search(using=self.es, index=self.alias)
                .query(related_query(case_id, self.alias, doc.get("group") or [], doc.get("task")))
                .source(["title", "summary"])[:limit]
            )
            response = search.execute()
        return [SearchHit(case_id=int(h.meta.id), score=h.meta.score, highlight=self._highlight(h)) for h in response]

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        self._ready()
        search = Search(using=self.es, index=self.alias).source(False).suggest(
            "titles", prefix, completion={"field": "suggest", "size": limit, "skip_duplicates": True}
        )
        with _guarded():
            response = search.execute()
        options = response.suggest.titles[0].options if response.suggest.titles else []
        return list(dict.fromkeys(o.text for o in options))[:limit]

    # --- writing -----------------------------------------------------------------------------

    def write(self, published: Iterable[CaseText], gone: Iterable[int], version: int) -> WriteOutcome:
        """Index `published`, delete `gone`, through the alias, stamped with `version`
        (take it with `version_stamp()` before reading the cases)."""
        actions = [*index_actions(published, self.alias, version, self.analyzer),
                   *delete_actions(gone, self.alias, version)]
        if not actions:
            return WriteOutcome()
        return write(self.es, actions, through_alias=True, refresh="wait_for")

    def index_cases(self, cases: Iterable[Case]) -> int:
        version = version_stamp()
        return self.write([case_text(c) for c in cases], (), version).done

    def remove_cases(self, case_ids: Iterable[int]) -> None:
        self.write((), list(case_ids), version_stamp())

    def indexed_ids(self) -> set[int]:
        return set(self.digests())

    def digests(self) -> dict[int, str]:
        """case id → digest of what is indexed (`search_check` compares them with the cases)."""
        from elasticsearch.helpers import scan

        # In the function: es_client imports the backends package, which loads this module (a cycle).
        from .es_client import maintenance

        if not self.state(fresh=True).index:
            return {}
        with translated_errors():
            hits = scan(maintenance(self.es), index=self.alias, query={"_source": ["digest"]})
            return {int(hit["_id"]): hit.get("_source", {}).get("digest", "") for hit in hits}

    def rebuild(self, cases: Iterable[Case], total: int, progress: Progress | None = None) -> int:
        """A new versioned index, loaded, marked complete, swapped in; see es_rebuild.py."""
        return rebuild(self, cases, total, progress)

    def lock(self) -> RebuildLock:
        return RebuildLock(self.alias)
