"""What a case needs before it can be submitted (the `submit` guard's completeness check), and
what its text may contain at all (`clean_case_text`, run by `Case.clean`, so the admin, the API
and the import all normalise and refuse alike).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import case_fields

if TYPE_CHECKING:
    from .models import Case

# Control characters break XML (the RSS feed), spreadsheets (openpyxl refuses them) and mail
# headers; U+FFFE/U+FFFF are not characters at all. Line and paragraph separators become "\n".
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
LINE_SPACE = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
# Embeddings, overrides and isolates reorder how a title reads ("gpj.exe" shown as "exe.jpg").
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
SURROGATE = re.compile(r"[\ud800-\udfff]")
SINGLE_LINE = case_fields.SINGLE_LINE  # one line: line breaks become spaces, no direction marks
MULTI_LINE = case_fields.MULTI_LINE


def clean_text(value: str) -> str:
    """Multi-line text: line breaks as "\n", other control characters removed."""
    return CONTROL.sub("", LINE_BREAKS.sub("\n", value))


# Characters that show nothing: zero-width spaces and joiners, direction marks, the word joiner
# and invisible operators, BOMs, soft hyphens, Hangul fillers. Inside text they are kept (a ZWJ
# joins an emoji); a line made only of them is empty.
INVISIBLE = re.compile(r"[\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u2060-\u2064\u3164\ufeff\uffa0]")


def clean_line(value: str) -> str:
    """One line: tabs and line breaks become a space, control characters go, ends trimmed; a
    line of nothing but invisible characters is empty (so a required title is refused)."""
    value = CONTROL.sub("", LINE_SPACE.sub(" ", value)).strip()
    return value if INVISIBLE.sub("", value).strip() else ""


def strip_bidi(value: str) -> str:
    return BIDI.sub("", value)


def clean_case_text(case: Case) -> None:
    """Normalise the case's text fields in place; refuse what can't be stored or misleads."""
    errors: dict[str, list[str]] = {}
    for name in (*SINGLE_LINE, *MULTI_LINE):
        value = getattr(case, name)
        if not isinstance(value, str) or not value:
            continue
        if SURROGATE.search(value):
            errors[name] = [_("含有无效的 Unicode 字符（代理项），请删除后重新输入。")]
            continue
        value = clean_line(value) if name in SINGLE_LINE else clean_text(value)
        if not value and not case._meta.get_field(name).blank:  # only invisible characters: still empty
            errors[name] = [_("不能为空（只有空格或不可见字符）。")]
        if name in SINGLE_LINE and BIDI.search(value):
            errors[name] = [_("不能包含改变文字方向的控制字符（如 U+202E），请删除后重新输入。")]
        setattr(case, name, value)
    if errors:
        raise ValidationError(errors)

# Asked for by label (“请填写“背景”。”), in the order of the 申报书.
REQUIRED_TEXT = {f.name: f.label for f in case_fields.FIELDS if f.submit}


# Every form field `submission_problems` looks at: what the case form marks “提交必填” before saving
# (a draft may leave them empty; submitting may not).
NEEDED_TO_SUBMIT = (*REQUIRED_TEXT, "category", "period_start", "scenarios", "key_groups")


def submission_problems(case: Case) -> list[str]:
    """Chinese descriptions of everything still missing; empty when the case is complete."""
    return content_problems(
        case,
        needs_category=case.category_id is None and case.campaign.categories.exists(),
        has_indicators=case.indicators.exists(), has_images=case.images.exists(),
        has_attachments=case.attachments.exists(),
    )


def content_problems(case: Case, *, needs_category: bool, has_indicators: bool, has_images: bool,
                     has_attachments: bool) -> list[str]:
    """`submission_problems` over what the caller knows of the case's related rows (the bulk path
    knows them from its plans, without a query)."""
    problems: list[str] = []
    if needs_category:
        problems.append(_("请选择征集方向。"))
    for field, label in REQUIRED_TEXT.items():
        if not str(getattr(case, field) or "").strip():
            problems.append(_("请填写“%(field)s”。") % {"field": label})
    if not case.period_start:
        problems.append(_("请填写实施开始日期。"))
    if not case.scenarios:
        problems.append(_("请至少选择一个应用场景。"))
    if not case.key_groups:
        problems.append(_("请至少选择一个重点群体。"))
    if not has_indicators:
        problems.append(_("请至少填写一项成效指标。"))
    if not has_images:
        problems.append(_("请上传至少一张图片（用作封面）。"))
    if not has_attachments:
        problems.append(_("请上传至少一份佐证材料（PDF 等）。"))
    return problems
