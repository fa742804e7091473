"""django-tasks-db's `Worker`, made to outlive database restarts and to keep a heartbeat.

Why the upstream worker dies with PostgreSQL (issue 14, item 13): its loop catches
`OperationalError` only when it says "database is locked" (SQLite) and re-raises every other
one, and a task's result is written with three retries 0.1 s apart. When PostgreSQL restarts,
the worker's next query runs on a connection whose server went away (or reconnects while the
server is still starting or shutting down), raises `OperationalError` or `InterfaceError`, and
the command exits. It survived only when the restart fell entirely inside its sleep and its
connection had already been closed as too old (`CONN_MAX_AGE`).

`ResilientWorker.run` keeps the upstream loop and wraps it: on a connection-level database
error it closes its connections, waits (0.5 s doubling to 10 s) and goes on. If the error cut a
task short (its result could not be written), the worker takes a new id: the task is then a
task of a dead worker, and the recovery (`background.recovery`) queues it again once the
database answers, like a task of a worker that was killed.

A heartbeat thread (its own database connection) records the worker as alive every
lease / 6 seconds and, once its own connection has been good for a whole lease, recovers stale
tasks every lease. Waiting for a lease of good connection first means a worker that comes back
after a database outage never mistakes the other workers, whose heartbeats could not be written
during the outage either, for dead ones.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import connection, connections
from django.db.utils import InterfaceError, OperationalError
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from . import recovery

logger = logging.getLogger("background.worker")

# Errors that mean "the database connection is gone", not "this query is wrong".
RECONNECTABLE = (OperationalError, InterfaceError)
RETRY_FIRST, RETRY_MAX = 0.5, 10.0


def close_connections() -> None:
    """Drop this thread's connections; a dead one may raise while closing, which is fine."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - the connection is being thrown away
            logger.debug("closing a broken connection failed", exc_info=True)


class Heartbeat(threading.Thread):
    """Renews the worker's heartbeat row and recovers other workers' stale tasks."""

    def __init__(self, worker: ResilientWorker) -> None:
        super().__init__(name=f"heartbeat-{worker.worker_id[:8]}", daemon=True)
        self.worker = worker
        self.lease = recovery.lease().total_seconds()
        self.every = max(self.lease / 6, 0.2)
        self.stopping = threading.Event()
        self.healthy_since: float | None = None
        self.last_recovery = 0.0
        self.beating: str | None = None

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.tick()
                self.stopping.wait(self.every)
        finally:
            close_connections()

    def tick(self) -> None:
        try:
            worker_id = self.worker.worker_id
            if self.beating and self.beating != worker_id:
                recovery.forget(self.beating)  # the worker changed its id after losing a task
            recovery.beat(worker_id)
            self.beating = worker_id
            now = time.monotonic()
            if self.healthy_since is None:
                self.healthy_since = now
            if now - self.healthy_since >= self.lease and now - self.last_recovery >= self.lease:
                self.last_recovery = now
                recovery.recover_stale_tasks()
        except Exception as exc:  # noqa: BLE001 - the database is away; try again next tick
            if self.healthy_since is not None:
                logger.warning("worker %s: heartbeat not written (%s); retrying", self.worker.worker_id, exc)
            self.healthy_since = None
            close_connections()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=self.every + 5)


class ResilientWorker(Worker):
    """The upstream worker loop, restarted after connection errors, with a heartbeat."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.base_id = self.worker_id
        self.lives = 0
        self.task_cut_short = False

    def run_task(self, db_task_result) -> None:
        self.task_cut_short = True  # cleared unless the result could not be written
        super().run_task(db_task_result)
        self.task_cut_short = False

    def run(self) -> None:
        heartbeat = Heartbeat(self)
        heartbeat.start()
        failures, last_failure = 0, 0.0
        try:
            while True:
                try:
                    super().run()
                    return
                except RECONNECTABLE as exc:
                    if not self.running:
                        return
                    now = time.monotonic()
                    failures = 1 if now - last_failure > 60 else failures + 1
                    last_failure = now
                    delay = min(RETRY_MAX, RETRY_FIRST * 2 ** (failures - 1))
                    if self.task_cut_short:
                        self.new_life()
                    logger.warning("worker %s: database unavailable (%s: %s); retrying in %.1f s",
                                   self.worker_id, type(exc).__name__, str(exc).strip()[:200], delay)
                    close_connections()
                    time.sleep(delay)
        finally:
            heartbeat.stop()
            try:
                recovery.forget(self.worker_id)
            except Exception:  # noqa: BLE001 - the row expires by itself
                logger.debug("heartbeat row of %s not deleted", self.worker_id, exc_info=True)
            connection.close()

    def new_life(self) -> None:
        """A task was cut short: go on under a new id, so recovery treats it as a dead worker's."""
        self.task_cut_short = False
        self.lives += 1
        self.worker_id = f"{self.base_id[:48]}-{self.lives}-{get_random_string(6)}"
