"""Tasks whose worker died mid-task (killed, out of memory, its host lost) are queued again.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: if
that worker dies, the task stays RUNNING forever. Every `db_worker` here keeps a heartbeat row
(`WorkerHeartbeat`); a RUNNING task whose last worker has not been seen for a lease
(`TASK_LEASE_SECONDS`) is put back to READY, and another worker runs it again. Our tasks are
safe to run twice (each one reads the current state and writes an idempotent result), so a task
that had nearly finished costs only its time. A task that has now been claimed
`TASK_MAX_ATTEMPTS` times without finishing is marked FAILED instead: it is probably what kills
its workers (docs/faults.md, "The task worker").

Both sides of the comparison use the database's clock (`Now()`), so workers on hosts whose
clocks disagree do not declare each other dead.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Now
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Heartbeat rows of workers gone this long are deleted (their tasks were recovered long before).
FORGET_AFTER = timedelta(days=1)


class WorkerLost(Exception):
    """Recorded as the error of a task whose workers kept dying while running it."""


def lease() -> timedelta:
    return timedelta(seconds=float(settings.CASEBOOK.get("TASK_LEASE_SECONDS", 60)))


def max_attempts() -> int:
    return int(settings.CASEBOOK.get("TASK_MAX_ATTEMPTS", 3))


def beat(worker_id: str) -> None:
    """Record that `worker_id` is alive now (the database's now)."""
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=Now())
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, host=socket.gethostname()[:255], pid=os.getpid(), started_at=Now(), seen_at=Now()
        )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly takes its heartbeat with it."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def recover_stale_tasks() -> tuple[list[str], list[str]]:
    """Queue again the RUNNING tasks of workers not seen for a lease; returns (requeued, failed) ids."""
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=Now() - lease()).values_list("worker_id", flat=True))
    requeued: list[str] = []
    failed: list[str] = []
    for task in DBTaskResult.objects.running().only("id", "worker_ids", "started_at", "task_path"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        # Only if no worker claimed it again since we read it (a claim sets a new started_at).
        same_task = DBTaskResult.objects.running().filter(pk=task.pk, started_at=task.started_at)
        attempts = len(task.worker_ids)
        with transaction.atomic():
            if attempts >= max_attempts():
                done = same_task.update(
                    status="FAILED", finished_at=Now(), return_value=None,
                    exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                    traceback=f"WorkerLost: the worker running this task died {attempts} times; not retried.\n",
                )
                if done:
                    failed.append(str(task.pk))
                    logger.error("task %s (%s) failed: its worker died %d times", task.pk, task.task_path, attempts)
            elif same_task.update(status="READY"):
                requeued.append(str(task.pk))
                logger.warning("task %s (%s) queued again: its worker %s stopped mid-task",
                               task.pk, task.task_path, task.worker_ids[-1] if task.worker_ids else "?")
    WorkerHeartbeat.objects.filter(seen_at__lt=Now() - FORGET_AFTER).delete()
    return requeued, failed
