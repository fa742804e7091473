"""The Elasticsearch backend (production): one alias in front of versioned indexes.

Every call has a short timeout and no retries; any transport or server error becomes
`BackendUnavailable`, on which the service answers from the database instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache

from django.utils.html import escape
from elasticsearch.dsl import Index, Search

from cases.models import Case

from .. import conf, es_synonyms, highlight
from ..documents import CaseSearch, document_class, index_settings, make_document, related_query, versioned_name
from ..extract import CaseText, case_text
from ..facets import build_facets
from ..query import DIMENSIONS, SearchHit, SearchQuery, SearchResults
from . import BackendUnavailable, Progress

logger = logging.getLogger(__name__)
BULK_CHUNK = 200


@cache
def client(url: str, timeout: float):
    from elasticsearch import Elasticsearch

    # Several nodes (comma-separated): a refused connection moves on to the next node; a timeout
    # does not (the database answers instead, search/service.py).
    hosts = [host.strip() for host in url.split(",") if host.strip()]
    return Elasticsearch(hosts, request_timeout=timeout, max_retries=len(hosts) - 1, retry_on_timeout=False)


@contextmanager
def unavailable_on_error() -> Iterator[None]:
    """Transport failures, server errors and refused requests: the caller may fail over."""
    from elasticsearch import ApiError, TransportError
    from elasticsearch.helpers import BulkIndexError

    try:
        yield
    except (TransportError, ApiError, BulkIndexError) as exc:
        raise BackendUnavailable(f"{type(exc).__name__}: {str(exc)[:300]}") from exc


def _first(hl, *names: str) -> str | None:
    """The first fragment of the first field that has one ("title.chars" is a key, not a path)."""
    data = hl.to_dict() if hl is not None else {}
    for name in names:
        if data.get(name):
            return data[name][0]
    return None


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, es=None, *, alias: str | None = None, analyzer_name: str | None = None):
        self.es = es if es is not None else client(conf.elasticsearch_url(), conf.timeout())
        self.alias = alias or conf.index_alias()
        self.analyzer = analyzer_name or conf.analyzer()

    # --- searching ---------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        faceted = CaseSearch(query, index=self.alias, using=self.es, analyzer_name=self.analyzer)
        with unavailable_on_error():
            response = faceted.execute()
            total = response.hits.total.value
            counts = {dim: {value: n for value, n, _selected in response.facets[dim]} for dim in DIMENSIONS}
        hits = [
            SearchHit(
                case_id=int(hit.meta.id),
                score=hit.meta.score if query.ranked_by_text else None,
                highlight=self._highlight(hit),
            )
            for hit in response
        ]
        return SearchResults(hits, total, build_facets(counts), self.name, query.page, query.page_size)

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

        with unavailable_on_error():
            try:
                source = self.es.get(index=self.alias, id=str(case_id), source_includes=["group", "task"]).body
            except NotFoundError:
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
        search = Search(using=self.es, index=self.alias).source(False).suggest(
            "titles", prefix, completion={"field": "suggest", "size": limit, "skip_duplicates": True}
        )
        with unavailable_on_error():
            response = search.execute()
        options = response.suggest.titles[0].options if response.suggest.titles else []
        return list(dict.fromkeys(o.text for o in options))[:limit]

    # --- indexing ----------------------------------------------------------------------

    def _actions(self, texts: Iterable[CaseText], index: str) -> Iterator[dict]:
        for text in texts:
            action = make_document(text, self.analyzer).to_dict(include_meta=True)
            action["_index"] = index
            yield action

    def ensure_index(self) -> None:
        """Create the first versioned index behind the alias, so writes never auto-create one."""
        with unavailable_on_error():
            if self.es.indices.exists_alias(name=self.alias):
                return
            name = versioned_name(self.alias)
            self._create(name)
            self._swap(name, drop_old=False)
            logger.info("search: created Elasticsearch index %s behind %s", name, self.alias)

    def _create(self, name: str) -> None:
        es_synonyms.put_set(self.es)  # the search analyzer's synonym set must exist first
        index = Index(name)
        index.settings(**index_settings())
        index.document(document_class(self.analyzer))
        index.create(using=self.es)

    def _swap(self, new: str, *, drop_old: bool = True) -> list[str]:
        """Point the alias at `new` in one atomic request; return the indexes it left."""
        old = list(self.es.indices.get_alias(name=self.alias).body) if self.es.indices.exists_alias(name=self.alias) else []
        actions = [{"remove": {"index": name, "alias": self.alias}} for name in old if name != new]
        if self.es.indices.exists(index=self.alias) and not self.es.indices.exists_alias(name=self.alias):
            # A concrete index squatting on the alias' name (auto-created by a stray write).
            actions.append({"remove_index": {"index": self.alias}})
        actions.append({"add": {"index": new, "alias": self.alias}})
        self.es.indices.update_aliases(actions=actions)
        left = [name for name in old if name != new]
        if drop_old:
            for name in left:
                self.es.indices.delete(index=name, ignore_unavailable=True)
        return left

    def index_texts(self, texts: list[CaseText]) -> int:
        from elasticsearch.helpers import bulk

        if not texts:
            return 0
        self.ensure_index()
        with unavailable_on_error():
            done, _errors = bulk(self.es, self._actions(texts, self.alias), chunk_size=BULK_CHUNK, refresh="wait_for")
        return done

    def index_cases(self, cases: Iterable[Case]) -> int:
        return self.index_texts([case_text(c) for c in cases])

    def remove_cases(self, case_ids: Iterable[int]) -> None:
        from elasticsearch.helpers import bulk

        actions = [{"_op_type": "delete", "_index": self.alias, "_id": str(cid)} for cid in case_ids]
        if not actions:
            return
        with unavailable_on_error():
            if self.es.indices.exists_alias(name=self.alias):
                bulk(self.es, actions, chunk_size=BULK_CHUNK, ignore_status=(404,), refresh="wait_for")

    def indexed_ids(self) -> set[int]:
        return set(self.digests())

    def digests(self) -> dict[int, str]:
        """case id → digest of what is indexed (`search_check` compares them with the cases)."""
        from elasticsearch.helpers import scan

        with unavailable_on_error():
            if not self.es.indices.exists_alias(name=self.alias):
                return {}
            hits = scan(self.es, index=self.alias, query={"_source": ["digest"]})
            return {int(hit["_id"]): hit.get("_source", {}).get("digest", "") for hit in hits}

    def rebuild(self, cases: Iterable[Case], total: int, progress: Progress | None = None) -> int:
        """Build a new versioned index, bulk-load it, then swap the alias and drop the old one."""
        from elasticsearch.helpers import streaming_bulk

        new = versioned_name(self.alias)
        done = 0
        with unavailable_on_error():
            self._create(new)
            texts = (case_text(c) for c in cases)
            for ok, item in streaming_bulk(self.es, self._actions(texts, new), chunk_size=BULK_CHUNK):
                if not ok:
                    raise BackendUnavailable(f"bulk indexing failed: {item}")
                done += 1
                if progress and (done % BULK_CHUNK == 0 or done == total):
                    progress(done, total)
            self.es.indices.refresh(index=new)
            self._swap(new)
        if progress:
            progress(done, total)
        return done
