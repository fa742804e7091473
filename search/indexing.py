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

from . import conf
from .backends import BackendUnavailable, database_backend, elasticsearch_backend
from .extract import searchable_cases
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
    """Record Elasticsearch work before trying it, so nothing is lost if the attempt fails."""
    now = timezone.now()
    for case_id in case_ids:
        PendingIndexOp.objects.update_or_create(case_id=case_id, defaults={"requested_at": now})


def flush_pending(limit: int = FLUSH_BATCH) -> tuple[int, int]:
    """Apply queued Elasticsearch work, oldest first; returns (done, still pending)."""
    from .service import breaker

    ops = list(PendingIndexOp.objects.all()[:limit])
    if not ops or not elasticsearch_enabled():
        return 0, PendingIndexOp.objects.count()
    started = timezone.now()
    ids = [op.case_id for op in ops]
    published = list(searchable_cases().filter(pk__in=ids))
    gone = set(ids) - {c.pk for c in published}
    try:
        es = elasticsearch_backend()
        es.index_cases(published)
        es.remove_cases(gone)
    except BackendUnavailable as exc:
        breaker.trip()
        logger.warning("search: Elasticsearch work for %d case(s) postponed: %s", len(ids), exc)
        PendingIndexOp.objects.filter(pk__in=[op.pk for op in ops]).update(
            last_error=str(exc)[:2000], attempts=F("attempts") + 1
        )
        return 0, PendingIndexOp.objects.count()
    # Keep rows re-queued since we read the cases: they need another pass.
    PendingIndexOp.objects.filter(pk__in=[op.pk for op in ops], requested_at__lte=started).delete()
    breaker.reset()
    return len(ops), PendingIndexOp.objects.count()


@task()
def flush_pending_task() -> None:
    """Elasticsearch work off the request path (a worker in production, inline in tests)."""
    flush_pending()


def build_if_empty(sender, *, using: str = "default", **kwargs) -> None:
    """After `migrate`: a database that has published cases but no index yet (one that existed
    before the search app) gets its database index built, so `make demo` finds them at once."""
    if CaseIndex.objects.using(using).exists() or not searchable_cases().using(using).exists():
        return
    from .maintenance import reindex

    done = reindex("database")
    logger.info("search: built the database index for %d published case(s)", done)


def connect(app_config) -> None:
    from django.db.models.signals import post_migrate, post_save

    from cases.signals import case_transitioned

    case_transitioned.connect(on_case_transitioned, dispatch_uid="search.case_transitioned")
    post_save.connect(on_case_saved, sender=Case, dispatch_uid="search.case_saved")
    post_migrate.connect(build_if_empty, sender=app_config, dispatch_uid="search.build_if_empty")
