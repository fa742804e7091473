"""Build the 典型案例汇编 (PDF) of campaigns now: after a demo load, an import, or from cron."""

from django.core.management.base import BaseCommand, CommandError

from cases.models import Campaign
from cases.states import CampaignStatus
from website.compilation.models import CompilationState
from website.compilation.tasks import build


class Command(BaseCommand):
    help = "生成征集活动的典型案例汇编（PDF）。默认只处理待生成的；--all 处理全部公开的征集活动。"

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="征集活动标识；不填则处理所有需要生成的活动。")
        parser.add_argument("--all", action="store_true", help="处理所有公开的征集活动（内容未变的会跳过）。")
        parser.add_argument("--force", action="store_true", help="内容未变也重新生成。")

    def handle(self, *args, slugs: list[str], all: bool, force: bool, **options):
        campaigns = Campaign.objects.exclude(status=CampaignStatus.DRAFT).order_by("pk")
        if slugs:
            campaigns = campaigns.filter(slug__in=slugs)
            missing = set(slugs) - set(campaigns.values_list("slug", flat=True))
            if missing:
                raise CommandError("未知或未公开的征集活动：" + "、".join(sorted(missing)))
        elif not all:
            # Pending or failed, or never built although the campaign has published cases.
            campaigns = campaigns.filter(cases__status="published").distinct().exclude(
                compilation__state=CompilationState.READY
            )
        for campaign in campaigns:
            compilation = build(campaign.pk, force=force)
            if compilation.case_count:
                self.stdout.write(f"{campaign.slug}：{compilation.case_count} 个案例，{compilation.file.name}")
            else:
                self.stdout.write(f"{campaign.slug}：没有已发布的案例，未生成。")
