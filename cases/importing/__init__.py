"""Importing past selected cases as published (`manage.py import_cases`).

All or nothing: every row is checked first and each problem is reported with its row and
field; only a clean file is imported, in one transaction, each case as `workflow.import_published`
takes it (`workflow_import`), so its history reads "导入：<source>". See docs/import.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .. import effects, permissions, workflow
from ..models import Case
from ..workflow_import import ImportItem, ItemRefused, import_published_many
from .checks import COLUMNS, REQUIRED, Problem, RowChecker, ValidRow
from .readers import Table, UnreadableFile, read_table

# progress(phase, done, total): phase is "check" or "import".
Progress = Callable[[str, int, int], None]

__all__ = [
    "COLUMNS", "REQUIRED", "ImportRefused", "ImportResult", "Problem", "UnreadableFile",
    "check_table", "import_file", "import_rows",
]


class ImportRefused(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: list[Problem]):
        super().__init__(_("发现 %(n)d 个问题，未导入任何案例。") % {"n": len(problems)})
        self.problems = problems


@dataclass
class ImportResult:
    rows: int
    dry_run: bool
    case_ids: list[int] = field(default_factory=list)


def _noop(phase: str, done: int, total: int) -> None:
    pass


def check_table(table: Table, *, default_source: str, progress: Progress = _noop) -> list[ValidRow]:
    """Every row checked; raises ImportRefused listing all problems if there is any."""
    checker = RowChecker(default_source=default_source)
    problems = checker.header_problems(table)
    valid: list[ValidRow] = []
    total = len(table.rows)
    if total == 0 and not problems:
        problems.append(Problem(1, "", _("文件中没有案例。")))
    for done, raw in enumerate(table.rows, start=1):
        row, row_problems = checker.check(raw, table.columns)
        problems.extend(row_problems)
        if row is not None:
            valid.append(row)
        progress("check", done, total)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p.row))
    return valid


def import_rows(rows: list[ValidRow], *, by, progress: Progress = _noop) -> list[Case]:
    """Checked rows imported in one transaction; a refusal rolls every row back.

    Through `workflow_import.import_published_many`: each row as `workflow.import_published`
    would take it, written together; the search index and compilation are updated once, after
    the commit (`effects.batched`).
    """
    if permissions.role_of(by) not in workflow.STAFF:
        raise workflow.Forbidden(_("只有组织方可以导入案例。"))
    items = [
        ImportItem(campaign=row.campaign, source=row.source, published_at=row.published_at, tier=row.tier,
                   fields=row.fields)
        for row in rows
    ]
    try:
        # After the commit, per-case effects that can wait (search index, compilation) run together.
        with effects.batched(), transaction.atomic():
            return import_published_many(by=by, items=items, progress=lambda done, total: progress("import", done, total))
    except ItemRefused as exc:
        number, error = rows[exc.index].number, exc.error
        if isinstance(error, workflow.WorkflowError):
            raise ImportRefused([Problem(number, "", error.message)]) from None
        if not hasattr(error, "error_dict"):
            raise ImportRefused([Problem(number, "", error.messages[0])]) from None
        raise ImportRefused(
            [Problem(number, name if name != "__all__" else "", msgs[0]) for name, msgs in error.message_dict.items()]
        ) from None


def import_file(
    path: Path | str, *, by, dry_run: bool = False, source: str | None = None, progress: Progress = _noop
) -> ImportResult:
    """Check the whole file, then (unless dry_run) import it; raises ImportRefused or UnreadableFile."""
    path = Path(path)
    table = read_table(path)
    rows = check_table(table, default_source=source or path.name, progress=progress)
    if dry_run:
        return ImportResult(rows=len(rows), dry_run=True)
    cases = import_rows(rows, by=by, progress=progress)
    return ImportResult(rows=len(rows), dry_run=False, case_ids=[c.pk for c in cases])
