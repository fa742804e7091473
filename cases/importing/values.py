"""Turning cell and JSON values into field values; each parser raises ValueError with a Chinese message."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _

LIST_SEPARATORS = re.compile(r"[,，、;；\s]+")
INDICATOR_SEPARATORS = re.compile(r"[;；\n]+")
INDICATOR_PART_SEPARATORS = re.compile(r"[:：]")


def text(value: Any) -> str:
    """A trimmed string; numbers (e.g. a phone number typed into a number cell) become their digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ValueError(_("应为文本。"))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    raise ValueError(_("应为文本。"))


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def parse_date(value: Any) -> date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value).replace("/", "-")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        # "2024-3-1" is common in spreadsheets; fromisoformat wants zero-padded parts.
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw)
        if match:
            try:
                return date(*map(int, match.groups()))
            except ValueError:
                pass
    raise ValueError(_("日期“%(value)s”无效，格式应为 YYYY-MM-DD。") % {"value": raw})


def parse_datetime(value: Any, tz: ZoneInfo) -> datetime | None:
    """A date or date-time; naive values are read in `tz` (the campaign's, Asia/Shanghai by default)."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    else:
        raw = text(value).replace("/", "-")
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            raise ValueError(
                _("时间“%(value)s”无效，格式应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM[:SS][+08:00]。") % {"value": raw}
            ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def _lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Codes, and their Chinese labels for spreadsheet users, mapped to codes (built once per
    choice set and language: an import of 10,000 rows asks ~50,000 times)."""
    return _lookup_in(choices, get_language())


@lru_cache(maxsize=128)
def _lookup_in(choices: type[models.TextChoices], language: str | None) -> dict[str, str]:
    table = {str(label): code for code, label in choices.choices}
    table.update({code: code for code in choices.values})
    return table


def parse_code(value: Any, choices: type[models.TextChoices], what: str) -> str:
    raw = text(value)
    if not raw:
        return ""
    code = _lookup(choices).get(raw)
    if code is None:
        raise ValueError(_("未知的%(what)s代码 %(code)s") % {"what": what, "code": raw})
    return code


def parse_codes(value: Any, choices: type[models.TextChoices], what: str) -> list[str]:
    """A JSON list of codes, or one string of codes separated by commas, 、, semicolons or spaces."""
    if is_blank(value):
        return []
    if isinstance(value, list):
        items = [text(v) for v in value]
    elif isinstance(value, str):
        items = [p for p in LIST_SEPARATORS.split(value.strip()) if p]
    else:
        raise ValueError(_("应为代码列表，如 [\"life\", \"work\"] 或 life、work。"))
    table = _lookup(choices)
    unknown = [i for i in items if i not in table]
    if unknown:
        raise ValueError(_("未知的%(what)s代码 %(codes)s") % {"what": what, "codes": "、".join(unknown)})
    return list(dict.fromkeys(table[i] for i in items))


def parse_indicator_rows(value: Any) -> list[dict]:
    """Indicator rows as dicts: a JSON list (or its text), or "名称:数值:单位:基线;..." text."""
    if is_blank(value):
        return []
    if isinstance(value, list):
        return value
    if not isinstance(value, str):
        raise ValueError(_("应为指标列表。"))
    raw = value.strip()
    if raw.startswith("["):
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError:
            raise ValueError(_("指标的 JSON 格式不正确。")) from None
        if not isinstance(parsed, list):
            raise ValueError(_("应为指标列表。"))
        return parsed
    rows = []
    for n, item in enumerate((p.strip() for p in INDICATOR_SEPARATORS.split(raw)), start=1):
        if not item:
            continue
        parts = [p.strip() for p in INDICATOR_PART_SEPARATORS.split(item)]
        if len(parts) < 2 or len(parts) > 4:
            raise ValueError(
                _("第 %(n)d 项“%(item)s”格式不正确，应为“名称:数值[:单位[:基线值]]”，如 培训人次:12000:人次:3000。")
                % {"n": n, "item": item}
            )
        parts += [""] * (4 - len(parts))
        rows.append(dict(zip(("name", "value", "unit", "baseline"), parts, strict=True)))
    return rows
