"""Background work of 查重: a task per submitted version; each checks its report together with
the other pending ones (`services.run_queued`, docs/similarity.md)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_report_task(report_id: int) -> None:
    # In the function: services queues this task (a cycle).
    from .services import run_queued

    run_queued(report_id)
