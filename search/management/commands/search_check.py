"""`manage.py search_check [--fix]`: cases missing from, extra in or stale in each index."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from search.maintenance import check

SHOWN = 20


def _ids(ids: list[int]) -> str:
    more = f" …（共 {len(ids)} 个）" if len(ids) > SHOWN else ""
    return ", ".join(map(str, ids[:SHOWN])) + more


class Command(BaseCommand):
    help = "检查检索索引与已发布案例是否一致；--fix 补齐缺失、删除多余、更新过期，并重试待同步的操作。"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="修复发现的问题。")

    def handle(self, *args, fix: bool, **options):
        problems = False
        for report in check(fix=fix):
            if report.error:
                problems = True
                self.stderr.write(self.style.ERROR(f"{report.backend}：无法检查：{report.error}"))
                continue
            self.stdout.write(f"{report.backend}：索引中 {report.indexed} 个案例。")
            for label, ids in (("缺失", report.missing), ("多余", report.extra), ("过期", report.stale)):
                if ids:
                    self.stdout.write(f"  {label} {len(ids)} 个：{_ids(ids)}")
            if report.pending:
                self.stdout.write(f"  待同步的操作 {report.pending} 个。")
            if report.ok:
                self.stdout.write(self.style.SUCCESS("  一致。"))
            elif report.fixed and not report.pending:
                self.stdout.write(self.style.SUCCESS("  已修复。"))
            else:
                problems = True
        if problems and not fix:
            raise CommandError("索引与已发布案例不一致，运行 search_check --fix 修复。")
        if problems:
            raise CommandError("仍有未能修复的问题。")
