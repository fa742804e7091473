"""Writing cases to Elasticsearch: versioned bulk requests, judged item by item.

Every document and delete carries an external version: the time (in microseconds) just
before the cases were read from the database. A worker that read a case earlier than another
can then never overwrite the other's newer state, whatever order their requests arrive in
(Elasticsearch answers 409 to the stale one, which is counted and dropped). Deletes leave a
tombstone for `index.gc_deletes` (60 s by default), long enough for any in-flight write.

A bulk request never fails as a whole for one bad item: each item is judged on its own
(`WriteOutcome`): written; stale; to retry (429, 5xx, the index not built yet); or refused for
good (any other 4xx, e.g. a mapping error), which is parked with its reason
(`PendingIndexOp.parked_at`) so it never blocks the queue.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..documents import make_document
from ..extract import CaseText
from .es_client import maintenance, translated_errors

BULK_CHUNK = 200
RETRIES_OF_429 = 2


def version_stamp() -> int:
    """Take it before reading the cases: the version says "this state or a newer one"."""
    return time.time_ns() // 1000


@dataclass
class WriteOutcome:
    done: int = 0
    stale: int = 0
    retry: dict[int, str] = field(default_factory=dict)
    parked: dict[int, str] = field(default_factory=dict)

    def add(self, other: WriteOutcome) -> None:
        self.done += other.done
        self.stale += other.stale
        self.retry.update(other.retry)
        self.parked.update(other.parked)


def index_actions(texts: Iterable[CaseText], index: str, version: int, analyzer_name: str) -> Iterator[dict]:
    for text in texts:
        action = make_document(text, analyzer_name).to_dict(include_meta=True)
        action.update(_index=index, _version=version, _version_type="external")
        yield action


def delete_actions(case_ids: Iterable[int], index: str, version: int) -> Iterator[dict]:
    for case_id in case_ids:
        yield {"_op_type": "delete", "_index": index, "_id": str(case_id), "_version": version,
               "_version_type": "external"}


def _judge(outcome: WriteOutcome, ok: bool, item: dict) -> None:
    op, info = next(iter(item.items()))
    case_id = int(info.get("_id", 0))
    status = int(info.get("status", 0))
    if ok or (op == "delete" and status == 404):
        outcome.done += 1
    elif status == 409:
        outcome.stale += 1  # a newer state of this case is already indexed
    elif status == 429 or status >= 500 or status == 404:
        # Overloaded, a shard not ready, or no index behind the alias yet: try again later.
        outcome.retry[case_id] = f"{status}: {json.dumps(info.get('error', ''), ensure_ascii=False)[:1000]}"
    else:
        outcome.parked[case_id] = f"{status}: {json.dumps(info.get('error', ''), ensure_ascii=False)[:1000]}"


def write(es, actions: Iterable[dict], *, through_alias: bool, refresh: bool | str = False,
          progress=None) -> WriteOutcome:
    """Send `actions` in chunks; 429s are retried here, the rest judged per item.

    `through_alias`: writes name the alias and must never auto-create an index in its place
    (`require_alias`): with no index behind it, items come back 404 and stay queued."""
    from elasticsearch.helpers import streaming_bulk

    outcome = WriteOutcome()
    extra = {"require_alias": True} if through_alias else {}
    with translated_errors():
        for ok, item in streaming_bulk(
            maintenance(es), actions, chunk_size=BULK_CHUNK, raise_on_error=False, max_retries=RETRIES_OF_429,
            initial_backoff=1, refresh=refresh, **extra,
        ):
            _judge(outcome, ok, item)
            if progress is not None:
                progress(outcome)
    return outcome
