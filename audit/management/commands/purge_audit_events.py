"""Delete audit events older than AUDIT_RETENTION_DAYS (never fewer than 180 days)."""

from django.core.management.base import BaseCommand

from audit.services import purge_expired, retention_days


class Command(BaseCommand):
    help = "Delete audit events older than the retention period (AUDIT_RETENTION_DAYS, at least 180 days)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would be deleted")

    def handle(self, *args, dry_run: bool = False, **options):
        days = retention_days()
        count = purge_expired(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {count} audit event(s) older than {days} days")
