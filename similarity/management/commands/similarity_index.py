"""Build or catch up the 查重 candidate index, and optionally check cases that have no report."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cases.models import Case
from cases.states import CaseStatus
from similarity import index, services
from similarity.models import Report

BATCH = 500


class Command(BaseCommand):
    help = ("更新查重索引（只处理文字有变化的案例）；--reports 为尚无查重报告的已提交案例补做查重。"
            "导入或生成的批量数据不经过逐件的提交通知，之后运行一次即可。")

    def add_arguments(self, parser):
        parser.add_argument("--reports", action="store_true", help="check submitted cases that have no report")

    def handle(self, *args, reports=False, **options):
        ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
        changed = 0
        for start in range(0, len(ids), BATCH):
            changed += index.update_cases(ids[start : start + BATCH], recount_common=False)
        common = index.refresh_common()
        self.stdout.write(f"查重索引：{len(ids)} 个案例，其中 {changed} 个已更新；{common} 个常见片段不用于候选检索。")
        if not reports:
            return
        pending = list(
            Case.objects.exclude(status=CaseStatus.DRAFT)
            .exclude(pk__in=Report.objects.values("case_id")).order_by("pk").values_list("pk", flat=True)
        )
        for start in range(0, len(pending), BATCH):
            created = Report.objects.bulk_create(
                [Report(case_id=pk, version=services.submitted_version(pk)) for pk in pending[start : start + BATCH]]
            )
            services.run_reports([r.pk for r in created])
        self.stdout.write(f"已为 {len(pending)} 个尚无报告的案例完成查重。")
