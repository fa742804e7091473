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

from . import case_fields
from .models import Case
from .typst_files import typst_path, typst_root

TEMPLATE = Path(__file__).resolve().parent / "print" / "application.typ"
FONT_DIR = Path(justmytype_intl_cjk.__file__).resolve().parent / "fonts" / "ofl" / "notosanssc"
SECTIONS = ("summary", *case_fields.BODY)
# The facts table, in order; the period (实施时间) is composed between the contacts and the scenarios.
FACTS_BEFORE_PERIOD = ("region", "category", "organisation", "organisation_type", "contact_name",
                       "contact_phone", "contact_email")
FACTS_AFTER_PERIOD = ("scenarios", "task_area", "key_groups", "special_project")


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def _period(case: Case) -> str:
    if not case.period_start:
        return "—"
    end = case.period_end.strftime("%Y年%-m月") if case.period_end else _("至今")
    return f"{case.period_start:%Y年%-m月} — {end}"


def _fact(case: Case, name: str) -> str:
    if name == "region":
        return case.region.full_name
    if name == "category":
        return case.category.title if case.category else "—"
    if case_fields.get(name).codes:
        return case_fields.code_labels(case, name) or "—"
    return getattr(case, name) or "—"


def case_data(case: Case) -> dict:
    """Everything the template shows, as plain JSON (images by their storage names, cases.typst_files)."""
    facts = [
        *((case_fields.label(name), _fact(case, name)) for name in FACTS_BEFORE_PERIOD),
        (_("实施时间"), _period(case)),
        *((case_fields.label(name), _fact(case, name)) for name in FACTS_AFTER_PERIOD),
    ]
    sections = [
        {"title": title, "paragraphs": [p.strip() for p in text.splitlines() if p.strip()] or ["—"]}
        for title, text in case_fields.sections(case, SECTIONS)
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
