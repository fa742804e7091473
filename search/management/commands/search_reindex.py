"""`manage.py search_reindex`: rebuild the search indexes from the published cases."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from search.backends import BackendError, BackendUnavailable
from search.backends.db_swap import RebuildRunning
from search.maintenance import available_backends, reindex

from ..progress import ProgressBar


class Command(BaseCommand):
    help = "重建检索索引（数据库索引，以及已配置的 Elasticsearch：新建版本化索引后原子切换别名）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend", choices=["all", "database", "elasticsearch"], default="all",
            help="只重建某一个后端（默认：全部可用的后端）。",
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条。")

    def handle(self, *args, backend: str, no_progress: bool, **options):
        names = available_backends(backend)
        if not names:
            raise CommandError("未配置 Elasticsearch（ELASTICSEARCH_URL），无法重建该后端。")
        failed = False
        for name in names:
            started = time.monotonic()
            progress = None if no_progress else ProgressBar(self.stdout, name)
            try:
                done = reindex(name, progress)
            except RebuildRunning as exc:
                raise CommandError(str(exc)) from exc
            except (BackendUnavailable, BackendError) as exc:
                failed = True
                self.stderr.write(self.style.ERROR(f"{name}：重建失败：{exc}"))
                continue
            self.stdout.write(self.style.SUCCESS(f"{name}：已索引 {done} 个已发布案例，用时 {time.monotonic() - started:.1f} 秒。"))
        if failed:
            raise CommandError("部分索引未能重建，请检查 Elasticsearch 后重试（manage.py check --deploy，docs/search.md）。")
