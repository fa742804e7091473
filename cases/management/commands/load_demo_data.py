"""`manage.py load_demo_data`: the demo data set (see docs/demo.md). Safe to run twice."""

from __future__ import annotations

import io
import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cases.demo import loader
from cases.demo.accounts import demo_password
from cases.management.progress import ProgressLine
from cases.states import CaseStatus


@contextmanager
def quiet_task_log():
    """The immediate task backend logs every search/reference-index task at INFO: thousands of lines."""
    logger = logging.getLogger("django_tasks")
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = "Load demo accounts, two campaigns and demo cases through the workflow (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing when demo data (or any case) is already present")
        parser.add_argument("--cases", type=int, default=loader.DEFAULT_CASES,
                            help=f"number of generated cases (default {loader.DEFAULT_CASES})")
        parser.add_argument("--seed", type=int, default=loader.SEED, help="content generator seed")
        parser.add_argument("--no-progress", action="store_true", help="no progress line on stderr")

    def handle(self, *args, if_empty: bool, cases: int, seed: int, no_progress: bool, verbosity: int, **options):
        if cases < 1:
            raise CommandError("--cases 至少为 1。")
        if if_empty and loader.demo_present():
            self.stdout.write("已有演示数据（或已有案例），跳过加载。")
            return
        log = self.stdout.write if verbosity > 0 else (lambda message: None)
        progress = ProgressLine(self.stderr, enabled=not no_progress and verbosity > 0)
        try:
            with quiet_task_log():
                summary = loader.load(n_cases=cases, seed=seed, log=log, progress=progress)
        except ValidationError as exc:
            raise CommandError("演示密码不符合密码规则：" + "".join(exc.messages)) from None
        except loader.DemoDataError as exc:
            raise CommandError(str(exc)) from None
        if settings.CASEBOOK.get("COMPILATION_BUILD_ON_CHANGE", True):
            # What the publications would have done one by one: each campaign's 汇编, once.
            call_command("build_compilations", stdout=self.stdout if verbosity > 0 else io.StringIO())
        labels = dict(CaseStatus.choices)
        for slug, counts in summary.by_state.items():
            states = "，".join(f"{labels.get(s, s)} {n}" for s, n in sorted(counts.items()))
            log(f"  {slug}：{sum(counts.values())} 个（{states}）")
        log(f"  省份 {summary.provinces} 个，图片 {summary.images} 张，附件 {summary.attachments} 份，用户 {summary.users} 个。")
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。演示账户密码：{demo_password()}"))
