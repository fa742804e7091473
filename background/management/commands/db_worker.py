"""`manage.py db_worker`: django-tasks-db's worker command with our `ResilientWorker`.

This app comes before `django_tasks_db` in INSTALLED_APPS, so this command replaces the
upstream one of the same name; its options are the same. Two differences: the worker survives
database restarts and keeps a heartbeat (`background.worker`), and the auto-reloader is off
unless `--reload` is given (upstream turns it on with DEBUG; under the reloader a stop signal
reaches the reloader, not the worker, which then cannot finish its task and leaves it RUNNING).
Production: `DJANGO_SETTINGS_MODULE=config.settings.production manage.py db_worker`
(docs/scale-out.md, deploy/systemd/casebook-worker.service).
"""

from __future__ import annotations

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as upstream

from background.worker import ResilientWorker


class Command(upstream.Command):
    help = "运行后台任务工作进程（数据库任务队列）。Run a database task worker that survives database restarts."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)

    def handle(self, *, verbosity: int, queue_name: str, interval: float, batch: bool, backend_name: str,
               startup_delay: bool, reload: bool, max_tasks: int | None, worker_id: str, exclude_queues: str,
               **options) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names, interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id, excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
