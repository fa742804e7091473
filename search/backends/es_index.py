"""The life of the index behind the alias: the completed-build marker, readiness, creation,
the alias swap, orphan cleanup and the rebuild lock.

An index is searched only once a full build has finished: the build writes a marker into
the index mapping's `_meta` (`casebook`: mapping version, analyzer, case count, time) as its
last step before the alias swap. An alias that is missing, a concrete index squatting on the
alias' name, an index without the marker (half-built, or created by hand) or one built for
another mapping version or analyzer never answers: the database does, and the state is
reported (`search_check`, the secretariat's report, `/health/search`). See docs/search.md.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from elasticsearch.dsl import Index

from .. import conf, es_synonyms
from ..documents import MAPPING_VERSION, document_class, index_settings
from .es_client import maintenance, translated_errors

META_KEY = "casebook"
READY_TTL = 30.0  # seconds a process trusts what it last read about the index
LOCK_TTL = 6 * 3600  # a crashed rebuild's lock expires; a live one renews it as it goes


@dataclass(frozen=True)
class IndexState:
    """What stands behind the alias. `kind`: "" (ready), missing, incomplete, drift."""

    index: str | None
    marker: dict
    kind: str = ""
    problem: str = ""

    @property
    def ready(self) -> bool:
        return not self.kind


def versioned_name(alias: str, now: datetime | None = None) -> str:
    """A new concrete index name behind `alias`, e.g. casebook-cases-20261123t200102123456."""
    return f"{alias}-{(now or datetime.now()).strftime('%Y%m%dt%H%M%S%f')}"


def is_versioned(alias: str, name: str) -> bool:
    return re.fullmatch(rf"{re.escape(alias)}-\d{{8}}t\d{{12}}", name) is not None


def marker(analyzer_name: str, *, complete: bool, cases: int = 0) -> dict:
    return {META_KEY: {"mapping_version": MAPPING_VERSION, "analyzer": analyzer_name, "complete": complete,
                       "cases": cases, "built_at": timezone.now().isoformat() if complete else None}}


def judge(index: str | None, meta: dict, analyzer_name: str) -> IndexState:
    """Ready, or why not, from the `_meta` of the index behind the alias."""
    mark = (meta or {}).get(META_KEY) or {}
    if not mark.get("complete"):
        return IndexState(index, mark, "incomplete", _(
            "索引 %(index)s 尚未完成全量构建（no completed build): 运行 manage.py search_reindex --backend elasticsearch"
        ) % {"index": index})
    if mark.get("mapping_version") != MAPPING_VERSION or mark.get("analyzer") != analyzer_name:
        return IndexState(index, mark, "drift", _(
            "索引 %(index)s 按映射版本 %(built_v)s、分析器 %(built_a)s 构建，当前设置为版本 %(v)s、分析器 %(a)s"
            "（mapping or analyzer changed): 运行 manage.py search_reindex --backend elasticsearch"
        ) % {"index": index, "built_v": mark.get("mapping_version"), "built_a": mark.get("analyzer"),
             "v": MAPPING_VERSION, "a": analyzer_name})
    return IndexState(index, mark)


def read_state(es, alias: str, analyzer_name: str) -> IndexState:
    """Ask the cluster what the alias points at (raises BackendUnavailable/BackendError)."""
    from elasticsearch import NotFoundError

    with translated_errors():
        try:
            mappings = es.indices.get_mapping(index=alias).body
        except NotFoundError:
            mappings = {}
    if not mappings:
        return IndexState(None, {}, "missing", _(
            "别名 %(alias)s 后面没有索引（no index yet): 首次启用请运行 manage.py search_reindex --backend elasticsearch"
        ) % {"alias": alias})
    if len(mappings) > 1:
        return IndexState(None, {}, "incomplete", _("别名 %(alias)s 指向 %(n)d 个索引（the alias points at several indexes): 请重建")
                          % {"alias": alias, "n": len(mappings)})
    ((index, body),) = mappings.items()
    if index == alias:
        return IndexState(index, {}, "incomplete", _(
            "%(alias)s 是一个普通索引而不是别名（a concrete index took the alias' name): 请重建"
        ) % {"alias": alias})
    return judge(index, body.get("mappings", {}).get("_meta", {}), analyzer_name)


_states: dict[tuple, tuple[float, IndexState]] = {}
_states_lock = threading.Lock()


def state(es, alias: str, analyzer_name: str) -> IndexState:
    """`read_state`, trusted for READY_TTL seconds per process (searches do not pay a request)."""
    key = (id(es), alias, analyzer_name)
    now = time.monotonic()
    cached = _states.get(key)
    if cached and cached[0] > now:
        return cached[1]
    current = read_state(es, alias, analyzer_name)
    with _states_lock:
        _states[key] = (now + READY_TTL, current)
    return current


def forget() -> None:
    """The next search reads the index state again (after a swap, or a 404 on the index)."""
    with _states_lock:
        _states.clear()


def create(es, name: str, analyzer_name: str) -> bool:
    """Create `name` with the production mapping and an incomplete marker; False if it exists
    already (two callers racing to create the same name both succeed)."""
    from elasticsearch import BadRequestError

    index = Index(name)
    index.settings(**index_settings())
    index.document(document_class(analyzer_name))
    body = index.to_dict()
    body.setdefault("mappings", {})["_meta"] = marker(analyzer_name, complete=False)
    with translated_errors():
        es_synonyms.put_set(maintenance(es))  # the search analyzer's synonym set must exist first
        try:
            maintenance(es).indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
        except BadRequestError as exc:
            if "resource_already_exists_exception" in str(exc.body):
                return False
            raise
    return True


def mark_complete(es, name: str, analyzer_name: str, cases: int) -> None:
    with translated_errors():
        maintenance(es).indices.put_mapping(index=name, meta=marker(analyzer_name, complete=True, cases=cases))


def behind(es, alias: str) -> list[str]:
    from elasticsearch import NotFoundError

    with translated_errors():
        try:
            return sorted(es.indices.get_alias(name=alias).body)
        except NotFoundError:
            return []


def swap(es, alias: str, new: str) -> list[str]:
    """Point the alias at `new` alone, in one atomic request; return the indexes it left."""
    old = [name for name in behind(es, alias) if name != new]
    actions = [{"remove": {"index": name, "alias": alias}} for name in old]
    with translated_errors():
        if es.indices.exists(index=alias).body and not es.indices.exists_alias(name=alias).body:
            # A concrete index squatting on the alias' name (auto-created by a stray write).
            actions.append({"remove_index": {"index": alias}})
        actions.append({"add": {"index": new, "alias": alias}})
        maintenance(es).indices.update_aliases(actions=actions)
    forget()
    return old


def orphans(es, alias: str) -> list[str]:
    """Versioned indexes of `alias` that the alias does not point at (left by failed builds)."""
    from elasticsearch import NotFoundError

    with translated_errors():
        try:
            found = es.indices.get_alias(index=f"{alias}-*", expand_wildcards="open,closed").body
        except NotFoundError:
            found = {}
    return sorted(name for name, body in found.items()
                  if is_versioned(alias, name) and alias not in (body.get("aliases") or {}))


def drop(es, names: list[str]) -> None:
    """Delete indexes by their exact names (a default cluster refuses wildcards:
    `action.destructive_requires_name`)."""
    with translated_errors():
        for name in names:
            maintenance(es).indices.delete(index=name, ignore_unavailable=True)


# --- one rebuild at a time -------------------------------------------------------------------


class RebuildLock:
    """A cache entry every app server and worker sees (Redis or the database cache in production).

    `cache.add` is atomic, so of two rebuilds started together one gets the lock and the other
    is refused; the queue (`search.indexing.flush_pending`) keeps its rows while one runs, and
    the rebuild replays them against the new index after the swap."""

    def __init__(self, alias: str):
        self.key = f"search:es-rebuild:{alias}"
        self.token = uuid.uuid4().hex

    def acquire(self, index: str) -> bool:
        return cache.add(self.key, {"token": self.token, "index": index, "started": timezone.now().isoformat()},
                         timeout=LOCK_TTL)

    def renew(self) -> None:
        cache.touch(self.key, LOCK_TTL)

    def release(self) -> None:
        held = cache.get(self.key)
        if held and held.get("token") == self.token:
            cache.delete(self.key)

    @staticmethod
    def running(alias: str | None = None) -> dict | None:
        return cache.get(f"search:es-rebuild:{alias or conf.index_alias()}")
