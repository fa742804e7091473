"""Tasks for the worker fault drills (test_worker_faults.py); they report through files."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def touch(path: str) -> str:
    Path(path).write_text("done")
    return path


@task()
def slow_first_run(directory: str) -> int:
    """Counts its runs; the first one waits (to be killed), later ones finish at once."""
    folder = Path(directory)
    with (folder / "runs").open("a") as runs:
        runs.write("run\n")
    count = len((folder / "runs").read_text().splitlines())
    if count == 1:
        (folder / "started").write_text("1")
        time.sleep(300)
    with (folder / "done").open("a") as done:
        done.write("done\n")
    return count
