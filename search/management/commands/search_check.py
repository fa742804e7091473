"""`manage.py search_check [--fix]`: each index against the published cases, the queue, and
(Elasticsearch) the index state and real query probes. Exits non-zero while anything is wrong,
so cron or monitoring can run it (docs/search.md, "Monitoring")."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from search.maintenance import check

SHOWN = 20


def _ids(ids: list[int]) -> str:
    more = f" …（共 {len(ids)} 个）" if len(ids) > SHOWN else ""
    return ", ".join(map(str, ids[:SHOWN])) + more


class Command(BaseCommand):
    help = ("检查检索索引与已发布案例是否一致，并对 Elasticsearch 运行真实查询探测；"
            "--fix 补齐缺失、删除多余、更新过期、重放待同步的操作（索引未建成或分析器变更时全量重建）。")

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
            if report.index_problem:
                self.stdout.write(self.style.ERROR(f"  索引状态：{report.index_problem}"))
            for label, ids in (("缺失", report.missing), ("多余", report.extra), ("过期", report.stale)):
                if ids:
                    self.stdout.write(f"  {label} {len(ids)} 个：{_ids(ids)}")
            if report.pending:
                self.stdout.write(f"  待同步的操作 {report.pending} 个。")
            if report.parked:
                self.stdout.write(self.style.ERROR(f"  被拒绝而搁置的案例 {len(report.parked)} 个（修改案例后会重试）："))
                for case_id, reason in list(report.parked.items())[:SHOWN]:
                    self.stdout.write(f"    {case_id}: {reason[:200]}")
            for probe in report.probes:
                mark = "✓" if probe.ok else ("!" if probe.warning else "✗")
                line = f"  探测 {mark} {probe.name}（{probe.ms:.0f} ms）：{probe.detail}"
                self.stdout.write(line if probe.ok or probe.warning else self.style.ERROR(line))
            if report.ok:
                self.stdout.write(self.style.SUCCESS("  一致。"))
            elif report.fixed and not (report.pending or report.parked or report.index_problem
                                       or any(not p.ok and not p.warning for p in report.probes)):
                self.stdout.write(self.style.SUCCESS("  已修复。"))
            else:
                problems = True
        if problems and not fix:
            raise CommandError("检索索引有问题（见上）；运行 search_check --fix 修复。")
        if problems:
            raise CommandError("仍有未能修复的问题。")
