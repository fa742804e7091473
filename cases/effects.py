"""Coalescing the after-commit effects of bulk work, such as an import of thousands of cases.

`cases.signals.case_transitioned` reaches every listener once per case. Work that is the same for
many cases (rebuild a campaign's compilation) or cheaper done together (index cases in the
search index) can be collected instead: inside `batched()`, a listener asks for its `bucket`,
adds to it, and its flush function gets the bucket once, when the outermost block ends.
Outside a block there is no bucket (None) and the listener does its work at once, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_state = threading.local()


@contextmanager
def batched() -> Iterator[None]:
    """Collect bucketed effects until the block ends. Put it around the transaction, so the
    commit's callbacks run inside; nested blocks leave the flushing to the outermost one."""
    outer = getattr(_state, "pending", None) is None
    if outer:
        _state.pending = {}
    try:
        yield
    finally:
        if outer:
            pending, _state.pending = _state.pending, None
            _flush(pending)


def _flush(pending: dict[str, tuple[Callable[[dict], None], dict]]) -> None:
    """Every bucket's flush runs, in the order first asked for; the first error is raised after."""
    error = None
    for flush, items in pending.values():
        try:
            flush(items)
        except Exception as exc:  # noqa: BLE001 - re-raised below, after the other effects ran
            error = error or exc
    if error is not None:
        raise error


@contextmanager
def skipping(*keys: str) -> Iterator[None]:
    """Inside the block, the named effects are collected and dropped, never done (the demo
    loader skips the renditions: the file views make them on first request)."""
    previous = getattr(_state, "skipped", frozenset())
    _state.skipped = previous | frozenset(keys)
    try:
        yield
    finally:
        _state.skipped = previous


def bucket(key: str, flush: Callable[[dict], None]) -> dict | None:
    """The dict collecting `key`'s work in the current block (flushed by `flush`), or None;
    a throwaway dict while `key` is being skipped."""
    if key in getattr(_state, "skipped", ()):
        return {}
    pending = getattr(_state, "pending", None)
    if pending is None:
        return None
    if key not in pending:
        pending[key] = (flush, {})
    return pending[key][1]
