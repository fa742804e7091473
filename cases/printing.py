"""The printable 申报书 (PDF) for the paper file officials keep, rendered with Typst.

Typst and the OFL Noto Sans SC font both come from pip packages, so the quickstart installs
everything; the font is embedded in the PDF, so Chinese shows wherever it is opened.
"""

from __future__ import annotations

import json
from pathlib import Path

import justmytype_intl_cjk
import typst
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Case
from .taxonomies import KeyGroup, OrganisationType, Scenario, SpecialProject, TaskArea, label_of
from .typst_files import typst_path, typst_root

TEMPLATE = Path(__file__).resolve().parent / "print" / "application.typ"
FONT_DIR = Path(justmytype_intl_cjk.__file__).resolve().parent / "fonts" / "ofl" / "notosanssc"
SECTIONS = [
    ("summary", _("案例摘要")), ("background", _("背景")), ("approach", _("主要做法")),
    ("outcomes", _("成效")), ("lessons", _("经验启示")), ("replicability", _("可复制推广")),
]


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def _labels(choices, codes) -> str:
    return "、".join(label_of(choices, c) for c in codes) or "—"


def _period(case: Case) -> str:
    if not case.period_start:
        return "—"
    end = case.period_end.strftime("%Y年%-m月") if case.period_end else _("至今")
    return f"{case.period_start:%Y年%-m月} — {end}"


def case_data(case: Case) -> dict:
    """Everything the template shows, as plain JSON (images by their storage names, cases.typst_files)."""
    facts = [
        (_("所属地区"), case.region.full_name), (_("征集方向"), case.category.title if case.category else "—"),
        (_("申报单位"), case.organisation or "—"), (_("单位类型"), label_of(OrganisationType, case.organisation_type) if case.organisation_type else "—"),
        (_("联系人"), case.contact_name or "—"), (_("联系电话"), case.contact_phone or "—"),
        (_("电子邮箱"), case.contact_email or "—"), (_("实施时间"), _period(case)),
        (_("应用场景"), _labels(Scenario, case.scenarios)), (_("主要任务"), label_of(TaskArea, case.task_area) if case.task_area else "—"),
        (_("重点群体"), _labels(KeyGroup, case.key_groups)), (_("重点工程"), label_of(SpecialProject, case.special_project) if case.special_project else "—"),
    ]
    sections = [
        {"title": title, "paragraphs": [p.strip() for p in (getattr(case, field) or "").splitlines() if p.strip()] or ["—"]}
        for field, title in SECTIONS
    ]
    images = []
    for item in case.images.select_related("image"):
        if path := typst_path(item.image.file):
            images.append({"path": path, "alt": item.alt})
    return {
        "campaign": case.campaign.title,
        "title": case.title,
        "facts": facts,
        "sections": sections,
        "indicators": [
            {"name": i.name, "value": _number(i.value), "unit": i.unit, "baseline": _number(i.baseline)}
            for i in case.indicators.all()
        ],
        "images": images,
        "attachments": [{"title": a.title, "kind": a.get_kind_display()} for a in case.attachments.all()],
        "footer": _("典型案例库 · 案例编号 %(id)s · 生成于 %(at)s")
        % {"id": case.pk, "at": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    }


def application_pdf(case: Case) -> bytes:
    data = case_data(case)
    with typst_root(image["path"] for image in data["images"]) as root:
        return typst.compile(
            TEMPLATE.read_bytes(), root=root, font_paths=[str(FONT_DIR)], ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        )
