"""Background work of 查重: one report per task (docs/similarity.md)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_report_task(report_id: int) -> None:
    # In the function: services queues this task (a cycle).
    from .services import run_report

    run_report(report_id)
