from django.core.management.base import BaseCommand

from cases.review.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail reviewers with unfinished reviews before the review deadline (run daily by the scheduler)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="remind when the deadline is this many days away or less")

    def handle(self, *args, days: int, **options):
        n = send_reminders(within_days=days)
        self.stdout.write(self.style.SUCCESS(f"已向 {n} 位评审专家发送提醒。"))
