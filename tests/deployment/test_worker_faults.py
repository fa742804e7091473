"""Fault drills of the task worker (`manage.py db_worker`, background/worker.py) against a
PostgreSQL cluster of the drill's own (tests/private_services.py), restarted and worked on freely:

- PostgreSQL restarts (three times, while the worker polls every 0.1 s): the worker is still up
  and runs a task queued after each restart;
- the worker is killed with SIGKILL in the middle of a task: a new worker runs the task again
  once the dead worker's lease has passed, and it completes exactly once.

The worker is the production command (production settings, the database queue); the tasks are
in drill_tasks.py and report through files. About 30 s in all.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.private_services import PrivatePostgres

from .servers import ROOT, manage, production_env, secret_key

LEASE = 2  # TASK_LEASE_SECONDS for the drill: a dead worker's task is recovered within ~3 leases


@pytest.fixture(scope="module")
def cluster():
    server = PrivatePostgres().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def worker_env(cluster, request) -> dict[str, str]:
    env = production_env(
        SECRET_KEY=secret_key(), DATABASE_URL=cluster.create_database("drill"), TASKS_BACKEND="database",
        TASK_LEASE_SECONDS=str(LEASE), LOG_LEVEL="INFO",
        DB_CONN_MAX_AGE="60",  # as in production: a connection outlives the restart
    )
    if not copy_test_schema(request, cluster, "drill"):
        manage(env, "migrate", "--noinput", timeout=300)
    return env


def copy_test_schema(request, cluster: PrivatePostgres, database: str) -> bool:
    """On PostgreSQL, the migrated test database's schema (pg_dump, a few seconds) instead of
    running every migration again (most of a minute); False where there is none to copy."""
    from django.conf import settings

    source = settings.DATABASES["default"]
    if not source["ENGINE"].endswith("postgresql"):
        return False
    request.getfixturevalue("django_db_setup")
    dump = subprocess.run(  # noqa: S603
        [str(cluster.bin / "pg_dump"), "--schema-only", "--no-owner", "--no-privileges",
         "-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432), "-U", source["USER"] or "postgres",
         source["NAME"]],
        capture_output=True, env={**os.environ, "PGPASSWORD": source["PASSWORD"] or ""}, timeout=120, check=False,
    )
    if dump.returncode != 0:
        return False
    load = subprocess.run(  # noqa: S603
        [str(cluster.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(cluster.port),
         "-U", "postgres", "-d", database], input=dump.stdout, capture_output=True, timeout=120, check=False,
    )
    return load.returncode == 0


class Worker:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
            cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def enqueue(env: dict[str, str], task: str, *args: str) -> str:
    """Queue a drill task the way the app does (`Task.enqueue` on the database backend)."""
    code = ("import django, json, sys; django.setup(); from tests.deployment import drill_tasks; "
            f"print(drill_tasks.{task}.enqueue(*json.loads(sys.argv[1])).id)")
    done = subprocess.run([sys.executable, "-c", code, json.dumps(args)], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def task_row(env: dict[str, str], task_id: str) -> tuple[str, list[str]]:
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        row = conn.execute("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = %s",
                           [task_id]).fetchone()
    return row[0], row[1]


def wait_for(condition, worker: Worker, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {timeout} s; worker log:\n{worker.output()}")


def test_the_worker_outlives_postgresql_restarts(cluster, worker_env, tmp_path):
    worker = Worker(worker_env, tmp_path / "worker.log")
    try:
        before = tmp_path / "before"
        enqueue(worker_env, "touch", str(before))
        wait_for(before.exists, worker, "the first task")
        for n in range(3):
            cluster.restart()
            time.sleep(0.5)  # the worker polls every 0.1 s: it meets the restart on every round
            assert worker.alive(), f"the worker exited after restart {n + 1}:\n{worker.output()}"
            after = tmp_path / f"after-{n}"
            task_id = enqueue(worker_env, "touch", str(after))
            wait_for(after.exists, worker, f"the task queued after restart {n + 1}")
            wait_for(lambda task_id=task_id: task_row(worker_env, task_id)[0] == "SUCCESSFUL", worker, "its result")
        assert worker.alive()
        assert "database unavailable" in worker.output()  # it did meet the restarts
    finally:
        worker.stop()


def test_a_task_whose_worker_was_killed_completes_exactly_once(worker_env, tmp_path):
    folder = tmp_path / "slow"
    folder.mkdir()
    first = Worker(worker_env, tmp_path / "first.log")
    second = None
    try:
        task_id = enqueue(worker_env, "slow_first_run", str(folder))
        wait_for((folder / "started").exists, first, "the slow task's start")
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
        assert task_row(worker_env, task_id)[0] == "RUNNING"  # what upstream leaves forever

        second = Worker(worker_env, tmp_path / "second.log")
        wait_for(lambda: task_row(worker_env, task_id)[0] == "SUCCESSFUL", second, "the recovered task", timeout=90)
        status, worker_ids = task_row(worker_env, task_id)
        assert (folder / "runs").read_text().splitlines() == ["run", "run"]  # killed once, run again once
        assert (folder / "done").read_text().splitlines() == ["done"]  # completed exactly once
        assert len(worker_ids) == 2 and worker_ids[0] != worker_ids[1]
        assert "queued again" in second.output()
        time.sleep(LEASE * 2)  # further recovery rounds leave the finished task alone
        assert task_row(worker_env, task_id)[0] == "SUCCESSFUL"
        assert (folder / "done").read_text().splitlines() == ["done"] and second.alive()
    finally:
        first.stop()
        if second:
            second.stop()
