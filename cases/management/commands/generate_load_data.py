"""`manage.py generate_load_data --cases 100000 --published 10000`: load data for benchmarks (docs/load-data.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from cases.demo.accounts import demo_password
from cases.loadgen.generate import LoadDataError, generate
from cases.management.commands.load_demo_data import quiet_task_log
from cases.management.progress import ProgressLine
from cases.states import CaseStatus
from cases.workflow_bulk import BulkPlanError


class Command(BaseCommand):
    help = "Generate load data (campaigns over several years, cases in every state) through the workflow's bulk path."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000, help="number of cases (default 100000)")
        parser.add_argument("--published", type=int, default=10_000, help="of which published (default 10000)")
        parser.add_argument("--campaigns", type=int, default=6,
                            help="campaigns (at least 4: the oldest finished, then notice, review, open; default 6)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")
        parser.add_argument("--chunk", type=int, default=2000, help="rows per bulk insert of cases (default 2000)")
        parser.add_argument("--no-progress", action="store_true", help="no progress lines on stderr")

    def handle(self, *args, cases: int, published: int, campaigns: int, seed: int, chunk: int, no_progress: bool,
               verbosity: int, **options):
        if chunk < 1:
            raise CommandError("--chunk 至少为 1。")
        log = self.stdout.write if verbosity > 0 else (lambda message: None)
        progress = ProgressLine(self.stderr, enabled=not no_progress and verbosity > 0)
        try:
            # Load accounts have fake addresses: nothing may reach SMTP (the bulk path sends nothing anyway).
            with quiet_task_log(), override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                report = generate(n_cases=cases, n_published=published, n_campaigns=campaigns, seed=seed,
                                  chunk=chunk, log=log, progress=progress)
        except (LoadDataError, BulkPlanError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from None
        labels = dict(CaseStatus.choices)
        for slug, counts in report.by_campaign.items():
            states = "，".join(f"{labels.get(s, s)} {n}" for s, n in sorted(counts.items()))
            log(f"  {slug}：{sum(counts.values())} 个（{states}）")
        log(f"  流转记录 {report.transitions} 条，成效指标 {report.indicators} 项，评审任务 {report.reviews} 份，封面 {report.images} 张。")
        self.stdout.write(self.style.SUCCESS(
            f"压测数据已生成：{sum(report.by_state.values())} 个案例，其中已发布 {report.by_state[CaseStatus.PUBLISHED]} 个；"
            f"总用时 {report.total_seconds:.1f} 秒。账户（load-…）密码：{demo_password()}"
        ))
