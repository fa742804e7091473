"""What a case needs before it can be submitted (the `submit` guard's completeness check)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Case

REQUIRED_TEXT = {
    "summary": _("案例摘要"),
    "organisation": _("申报单位"),
    "organisation_type": _("单位类型"),
    "contact_name": _("联系人"),
    "contact_phone": _("联系电话"),
    "contact_email": _("电子邮箱"),
    "task_area": _("主要任务"),
    "background": _("背景"),
    "approach": _("主要做法"),
    "outcomes": _("成效"),
    "lessons": _("经验启示"),
    "replicability": _("可复制推广"),
}


def submission_problems(case: Case) -> list[str]:
    """Chinese descriptions of everything still missing; empty when the case is complete."""
    problems: list[str] = []
    if case.category_id is None and case.campaign.categories.exists():
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
    if not case.indicators.exists():
        problems.append(_("请至少填写一项成效指标。"))
    if not case.images.exists():
        problems.append(_("请上传至少一张图片（用作封面）。"))
    if not case.attachments.exists():
        problems.append(_("请上传至少一份佐证材料（PDF 等）。"))
    return problems
