"""Lift a sign-in lockout: `manage.py unlock_user USERNAME [--ip ADDRESS]`."""

from django.core.management.base import BaseCommand

from audit import actions, record
from security import lockout


class Command(BaseCommand):
    help = "Lift the sign-in lockout of an account (from every address), and optionally of an address."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the account name as typed at sign-in (case-insensitive)")
        parser.add_argument("--ip", help="also lift the per-address lock of this IP address")

    def handle(self, *args, username: str, ip: str | None = None, **options):
        cleared = lockout.unlock(username=username, ip=ip)
        record(actions.ACCOUNT_UNLOCKED, username=username, ip=None,
               details={"cleared": cleared, "address": ip or "", "by": "manage.py unlock_user"})
        self.stdout.write(f"unlocked {username}" + (f" and {ip}" if ip else "") + f" ({cleared} counter(s) cleared)")
