"""Keeping the indexes in step with the case lifecycle.

After a transition commits (`cases.signals.case_transitioned`), and after a published case
is edited, the case is synced: indexed if it is published, removed otherwise. The database
index is updated at once (it is the fallback and cheap); Elasticsearch work is queued as a
`PendingIndexOp` row first and then done by a task, so work that fails (cluster down) stays
queued and is retried with the next successful operation or by `search_check --fix`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from cases import effects
from cases.models import Case
from cases.signals import case_transitioned

from . import conf
from .backends import BackendUnavailable, database_backend, elasticsearch_backend
from .extract import case_text, searchable_cases
from .models import CaseIndex, PendingIndexOp

logger = logging.getLogger(__name__)
FLUSH_BATCH = 500
SYNC_BATCH = 200


def _sync_collected(ids: dict[int, None], batch: int = SYNC_BATCH) -> None:
    """An import of 10,000 cases commits once; syncing each case on its own would cost a few
    queries and a transaction apiece, `batch` cases at a time costs the same few."""
    ordered = list(ids)
    for start in range(0, len(ordered), batch):
        sync_cases(ordered[start : start + batch])


def request_sync(case_ids: Iterable[int]) -> None:
    """Sync now, or at the end of the enclosing `cases.effects.batched()` block."""
    pending = effects.bucket("search.sync", _sync_collected)
    if pending is None:
        sync_cases(case_ids)
    else:
        pending.update(dict.fromkeys(case_ids))


def on_case_transitioned(sender, *, case: Case, record, **kwargs) -> None:
    """Runs after commit: publishing indexes; leaving `published` (revoke) removes."""
    if record.to_state == "published" or record.from_state == "published":
        request_sync([case.pk])
    elif CaseIndex.objects.filter(pk=case.pk).exists():
        request_sync([case.pk])


def on_case_saved(sender, *, instance: Case, created: bool, update_fields=None, **kwargs) -> None:
    """A published case corrected in place is reindexed once the edit commits.

    State changes are left to `on_case_transitioned` (their saves name the status field),
    and a case that is not published has nothing in the index to refresh.
    """
    if created or instance.status != "published" or (update_fields and "status" in update_fields):
        return
    case_id = instance.pk
    transaction.on_commit(lambda: request_sync([case_id]))


def sync_cases(case_ids: Iterable[int]) -> None:
    """Make both indexes agree with the cases' current state."""
    ids = list(dict.fromkeys(case_ids))
    published = list(searchable_cases().filter(pk__in=ids))
    gone = set(ids) - {c.pk for c in published}
    db = database_backend()
    db.index_cases(published)
    db.remove_cases(gone)
    if elasticsearch_enabled():
        queue(ids)
        flush_pending_task.enqueue()


def elasticsearch_enabled() -> bool:
    return conf.backend_name() == "elasticsearch"


def queue(case_ids: Iterable[int]) -> None:
    """Record Elasticsearch work before trying it, so nothing is lost if the attempt fails.
    A case synced again is tried again, even one parked after a refusal."""
    now = timezone.now()
    for case_id in case_ids:
        PendingIndexOp.objects.update_or_create(case_id=case_id, defaults={"requested_at": now, "parked_at": None})


def requeue(reasons: dict[int, str]) -> None:
    """Cases whose write must be tried again (429, 5xx, no index yet), with the reason."""
    now = timezone.now()
    for case_id, reason in reasons.items():
        PendingIndexOp.objects.update_or_create(
            case_id=case_id, defaults={"requested_at": now, "last_error": reason[:2000], "parked_at": None})


def park(reasons: dict[int, str]) -> None:
    """Cases Elasticsearch refused for good: kept with the reason, skipped by the queue."""
    if not reasons:
        return
    now = timezone.now()
    for case_id, reason in reasons.items():
        PendingIndexOp.objects.update_or_create(
            case_id=case_id, defaults={"requested_at": now, "last_error": reason[:2000], "parked_at": now})
    logger.error("search: Elasticsearch refused %d case(s) for good (parked): %s", len(reasons),
                 "; ".join(f"{cid}: {why}" for cid, why in list(reasons.items())[:5]))


def flush_pending(limit: int = FLUSH_BATCH) -> tuple[int, int]:
    """Apply queued Elasticsearch work, oldest first; returns (done, still pending).

    A failure here never changes which backend answers searches. While a full rebuild runs,
    the rows are applied (to the index searches use now) but kept: the rebuild replays them
    against its new index after the swap."""
    # In the function: health and the backends reach this module back through es_rebuild (a cycle).
    from . import health
    from .backends import BackendError
    from .backends.es_bulk import version_stamp
    from .backends.es_index import RebuildLock

    waiting = PendingIndexOp.objects.filter(parked_at__isnull=True)
    ops = list(waiting[:limit])
    if not ops or not elasticsearch_enabled():
        return 0, waiting.count()
    started = timezone.now()
    ids = [op.case_id for op in ops]
    try:
        es = elasticsearch_backend()
        version = version_stamp()  # before reading the cases: "this state or a newer one"
        published = [case_text(c) for c in searchable_cases().filter(pk__in=ids)]
        outcome = es.write(published, set(ids) - {t.case_id for t in published}, version)
    except (BackendUnavailable, BackendError) as exc:
        health.record_write_failure(exc)
        PendingIndexOp.objects.filter(pk__in=[op.pk for op in ops]).update(
            last_error=str(exc)[:2000], attempts=F("attempts") + 1
        )
        return 0, waiting.count()
    for case_id, reason in outcome.retry.items():
        PendingIndexOp.objects.filter(case_id=case_id).update(last_error=reason[:2000], attempts=F("attempts") + 1)
    park(outcome.parked)
    finished = set(ids) - set(outcome.retry) - set(outcome.parked)
    if RebuildLock.running() is None:
        # Keep rows re-queued since we read the cases: they need another pass.
        PendingIndexOp.objects.filter(case_id__in=finished, requested_at__lte=started, parked_at__isnull=True).delete()
    return len(finished), waiting.count()


def replay_queue(limit: int = FLUSH_BATCH) -> int:
    """Apply the whole queue (after a rebuild's swap), batch after batch, until it stops shrinking."""
    total, before = 0, None
    while True:
        done, pending = flush_pending(limit)
        total += done
        if not pending or not done or pending == before:
            return total
        before = pending


@task()
def flush_pending_task() -> None:
    """Elasticsearch work off the request path (a worker in production, inline in tests)."""
    flush_pending()


def build_if_empty(sender, *, using: str = "default", **kwargs) -> None:
    """After `migrate`: a database that has published cases but no index yet (one that existed
    before the search app) gets its database index built, so `make demo` finds them at once."""
    if CaseIndex.objects.using(using).exists() or not searchable_cases().using(using).exists():
        return
    # In the function: maintenance imports this module back (a cycle).
    from .maintenance import reindex

    done = reindex("database")
    logger.info("search: built the database index for %d published case(s)", done)


def connect(app_config) -> None:
    from django.db.models.signals import post_migrate, post_save

    case_transitioned.connect(on_case_transitioned, dispatch_uid="search.case_transitioned")
    post_save.connect(on_case_saved, sender=Case, dispatch_uid="search.case_saved")
    post_migrate.connect(build_if_empty, sender=app_config, dispatch_uid="search.build_if_empty")
