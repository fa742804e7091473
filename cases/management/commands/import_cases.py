"""`manage.py import_cases FILE`: import past selected cases as published (see docs/import.md)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts.roles import Role
from cases import importing, permissions, workflow
from cases.management.progress import ProgressLine

MAX_LISTED = 500
PHASES = {"check": "校验", "import": "导入"}


def acting_user(username: str | None):
    """The user the import is recorded under: --by, or the first active superuser/secretariat."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"未找到启用的用户 {username}。")
        if permissions.role_of(user) not in workflow.STAFF:
            raise CommandError(f"用户 {username} 不是组织方或系统管理员，不能导入案例。")
        return user
    user = users.filter(Q(is_superuser=True) | Q(role__in=[Role.SECRETARIAT, Role.ADMIN])).order_by("pk").first()
    if user is None:
        raise CommandError("没有可用的组织方或管理员账户：请先创建一个，或用 --by 指定。")
    return user


class Command(BaseCommand):
    help = "Import selected cases of a finished campaign as published, from a .jsonl or .xlsx file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .jsonl (one JSON object a line) or .xlsx (first row = column names) file")
        parser.add_argument("--by", metavar="USERNAME", help="the acting secretariat/admin user (default: the first one)")
        parser.add_argument("--dry-run", action="store_true", help="check every row and report; import nothing")
        parser.add_argument("--source", help="the source recorded in each case's history (default: the file name)")
        parser.add_argument("--no-progress", action="store_true", help="no progress line on stderr")

    def handle(self, *args, file: str, by: str | None, dry_run: bool, source: str | None, no_progress: bool, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        user = acting_user(by)
        line = ProgressLine(self.stderr, enabled=not no_progress and opts.get("verbosity", 1) > 0)

        def progress(phase: str, done: int, total: int) -> None:
            line(PHASES.get(phase, phase), done, total)

        try:
            result = importing.import_file(path, by=user, dry_run=dry_run, source=source, progress=progress)
        except importing.UnreadableFile as exc:
            raise CommandError(str(exc)) from None
        except importing.ImportRefused as exc:
            listed = [str(p) for p in exc.problems[:MAX_LISTED]]
            if len(exc.problems) > MAX_LISTED:
                listed.append(f"……另有 {len(exc.problems) - MAX_LISTED} 个问题未列出。")
            raise CommandError("\n".join([str(exc), *listed])) from None
        except workflow.WorkflowError as exc:
            raise CommandError(exc.message) from None
        if result.dry_run:
            self.stdout.write(self.style.SUCCESS(f"校验通过：{result.rows} 个案例可以导入（试运行，未写入）。"))
        else:
            self.stdout.write(self.style.SUCCESS(f"已导入 {len(result.case_ids)} 个案例，状态为“已发布”，操作人：{user.username}。"))
