"""Reading an import file into raw rows: JSON Lines or an Excel workbook (first sheet).

Row numbers are the ones a person sees in the file: the line number in a .jsonl file, the
spreadsheet row number in an .xlsx file (the header is row 1, so data starts at row 2).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .. import case_fields

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
XLSX_SUFFIXES = frozenset({".xlsx"})

# Chinese column headers accepted in workbooks besides the API field names: each case field's
# label (its verbose name, cases/case_fields.py), the region's code and the import's own columns.
HEADER_ALIASES = {
    **{str(f.label): f.name for f in case_fields.FIELDS if f.group != case_fields.Group.FILES},
    "地区代码": "region",
    "征集活动": "campaign",
    "入选等级": "tier",
    "发布时间": "published_at",
    "导入来源": "source",
}


class UnreadableFile(Exception):
    """The file as a whole can't be read (wrong type, corrupt); carries a Chinese message."""


@dataclass
class Table:
    rows: list[RawRow]
    # The header's column names (xlsx); None for JSON Lines, where every row names its own keys.
    columns: list[str] | None = None
    header_problems: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class RawRow:
    number: int
    data: dict[str, Any] = field(default_factory=dict)
    # A problem that stops the row from being read at all: (field, message).
    error: tuple[str, str] | None = None


def read_table(path: Path) -> Table:
    """All rows of the file, plus the header row's names and problems (xlsx only)."""
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return Table(rows=_read_jsonl(path))
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path)
    raise UnreadableFile(_("不支持的文件类型“%(suffix)s”，请使用 .jsonl 或 .xlsx 文件。") % {"suffix": suffix or "无扩展名"})


def _read_jsonl(path: Path) -> list[RawRow]:
    rows: list[RawRow] = []
    try:
        with path.open(encoding="utf-8-sig") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    rows.append(RawRow(number, error=("", _("不是有效的 JSON（第 %(col)d 个字符附近）。") % {"col": exc.colno})))
                    continue
                if not isinstance(data, dict):
                    rows.append(RawRow(number, error=("", _("每行应是一个 JSON 对象，如 {\"title\": \"...\"}。"))))
                    continue
                rows.append(RawRow(number, data=data))
    except UnicodeDecodeError:
        raise UnreadableFile(_("文件不是 UTF-8 编码，请以 UTF-8 保存后重试。")) from None
    except OSError as exc:
        raise UnreadableFile(_("无法读取文件：%(error)s") % {"error": exc.strerror or exc}) from None
    return rows


def _header_name(value: Any) -> str:
    text = str(value or "").strip()
    return HEADER_ALIASES.get(text, text)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged or mislabelled file
        raise UnreadableFile(_("无法读取 Excel 文件，请确认它是 .xlsx 格式且未损坏。")) from None
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = next(values, None)
        if header is None:
            raise UnreadableFile(_("工作表是空的：第 1 行应为列名。"))
        names = [_header_name(v) for v in header]
        header_problems: list[tuple[str, str]] = []
        seen: set[str] = set()
        for name in names:
            if name and name in seen:
                header_problems.append((name, _("列名重复。")))
            seen.add(name)
        rows: list[RawRow] = []
        for number, cells in enumerate(values, start=2):
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            data = {name: cell for name, cell in zip(names, cells, strict=False) if name}
            rows.append(RawRow(number, data=data))
        return Table(rows=rows, columns=[n for n in names if n], header_problems=header_problems)
    finally:
        workbook.close()
