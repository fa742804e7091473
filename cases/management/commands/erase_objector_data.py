from django.core.management.base import BaseCommand

from cases.notice import erase_expired_personal_data


class Command(BaseCommand):
    help = "Erase objectors' personal data past the retention period (run daily by the scheduler)."

    def handle(self, *args, **options):
        n = erase_expired_personal_data()
        self.stdout.write(self.style.SUCCESS(f"已删除 {n} 条异议中的个人信息。"))
