"""A full Elasticsearch rebuild that loses nothing (docs/search.md, "Rebuilding").

1. One at a time: a lock every server sees (`RebuildLock`); a second rebuild is refused.
2. A new versioned index is created with the production mapping and an *incomplete* marker,
   so nothing searches it; the published cases are bulk-loaded with the version stamped just
   before they were read; bad items are parked or queued for retry, never abort the load.
3. Refresh, mark the build complete (`_meta`), swap the alias atomically, drop the indexes it
   left and any orphan of an earlier failed build (by exact name).
4. Release the lock and replay the queue: work queued while the rebuild ran (the queue keeps
   its rows during a rebuild) is applied to the new index; versions make the replay safe
   whichever write lands last. A failed build drops its half-built index and leaves the old
   one answering.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from itertools import islice

from django.utils.translation import gettext as _

from cases.models import Case

from ..extract import case_text
from . import Progress, es_index
from .db_swap import RebuildRunning
from .es_bulk import BULK_CHUNK, WriteOutcome, index_actions, version_stamp, write
from .es_client import maintenance, translated_errors

logger = logging.getLogger(__name__)


def _batches(cases: Iterable[Case], size: int):
    iterator = iter(cases)
    while batch := list(islice(iterator, size)):
        yield batch


def rebuild(backend, cases: Iterable[Case], total: int, progress: Progress | None = None) -> int:
    """Build, mark, swap, clean up, replay; returns the number of cases indexed."""
    # In the function: indexing imports the backends, which load this module (a cycle).
    from ..indexing import park, replay_queue, requeue

    es, alias = backend.es, backend.alias
    new = es_index.versioned_name(alias)
    lock = backend.lock()
    if not lock.acquire(new):
        raise RebuildRunning(_("另一次 Elasticsearch 全量重建正在进行，请等它结束后再试（another rebuild is running）。"))
    swapped = False
    outcome = WriteOutcome()
    try:
        es_index.drop(es, es_index.orphans(es, alias))
        es_index.create(es, new, backend.analyzer)
        # The version says "this state or newer": taken before the cases are read.
        version = version_stamp()
        for batch in _batches(cases, BULK_CHUNK):
            texts = [case_text(c) for c in batch]
            outcome.add(write(es, index_actions(texts, new, version, backend.analyzer), through_alias=False))
            lock.renew()
            if progress:
                progress(outcome.done, total)
        with translated_errors():
            maintenance(es).indices.refresh(index=new)
        es_index.mark_complete(es, new, backend.analyzer, outcome.done)
        left = es_index.swap(es, alias, new)
        swapped = True
        es_index.drop(es, left)
    finally:
        if not swapped:
            try:
                es_index.drop(es, [new])
            except Exception:  # the original error matters more; orphans are dropped by the next rebuild
                logger.warning("search: could not drop the half-built index %s", new, exc_info=True)
        lock.release()
    requeue(outcome.retry)
    park(outcome.parked)
    replay_queue()
    if progress:
        progress(outcome.done, total)
    return outcome.done
