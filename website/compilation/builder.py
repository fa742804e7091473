"""Build the 典型案例汇编 of a campaign: its published cases as one PDF book.

Only published cases are read (docs/domain.md §3: never a case in notice, a draft or a revoked one).
The book is rendered with Typst and the OFL Noto Sans SC font shipped in a pip package, as the
printable 申报书 is (`cases.printing`): the font is embedded, so Chinese shows wherever the PDF is
opened. All case text reaches the template as JSON through `sys.inputs`, never as markup.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import typst
from django.conf import settings
from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import case_fields
from cases.models import Campaign, Case, CaseImage, CaseIndicator
from cases.permissions import PUBLIC_STATES
from cases.printing import FONT_DIR
from cases.typst_files import typst_path, typst_root

logger = logging.getLogger(__name__)

TEMPLATE = Path(__file__).resolve().parent / "book.typ"
# JPEG renditions keep the book small (a PNG cover per case adds up over a hundred chapters).
COVER_SPEC = "max-1200x900|format-jpeg|jpegquality-80"
GALLERY_SPEC = "max-800x600|format-jpeg|jpegquality-80"
# The chapter's facts (empty ones left out); the period (实施时间) comes after the tier.
FACTS_BEFORE_PERIOD = ("region", "organisation", "organisation_type", "category", "tier")
FACTS_AFTER_PERIOD = ("scenarios", "task_area", "key_groups", "special_project")


@dataclass
class Book:
    """What one build renders: the template's JSON, its fingerprint and the cases it holds."""

    data: dict
    fingerprint: str
    case_ids: list[int]

    @property
    def case_count(self) -> int:
        return len(self.case_ids)


def published_cases(campaign: Campaign):
    """The campaign's published cases in book order: by tier, then province, then id (3 queries)."""
    return (
        Case.objects.filter(campaign=campaign, status__in=PUBLIC_STATES)
        .select_related("region", "region__province", "tier", "category")
        .prefetch_related(
            Prefetch("indicators", queryset=CaseIndicator.objects.order_by("sort_order", "pk")),
            Prefetch("images", queryset=CaseImage.objects.select_related("image").order_by("sort_order", "pk")),
        )
        .order_by(F("tier__sort_order").asc(nulls_last=True), "province_id", "pk")
    )


def published_ids(campaign: Campaign) -> list[int]:
    return sorted(Case.objects.filter(campaign=campaign, status__in=PUBLIC_STATES).values_list("pk", flat=True))


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


def _period(case: Case) -> str:
    if not case.period_start:
        return ""
    end = case.period_end.strftime("%Y年%-m月") if case.period_end else _("至今")
    return f"{case.period_start:%Y年%-m月} — {end}"


def _image(case_image: CaseImage, spec: str) -> dict | None:
    """A rendition by its storage name (cases.typst_files); None if the file is missing or broken."""
    try:
        path = typst_path(case_image.image.get_rendition(spec).file)
    except Exception:  # a broken or missing image file must not stop the book
        logger.warning("compilation: image %s of case %s skipped", case_image.pk, case_image.case_id, exc_info=True)
        return None
    return {"path": path, "alt": case_image.alt} if path else None


def _fact(case: Case, name: str) -> str:
    if name == "region":
        return case.region.full_name
    if name in ("category", "tier"):
        related = getattr(case, name)
        return related.title if related else ""
    if case_fields.get(name).codes:
        return case_fields.code_labels(case, name)
    return getattr(case, name)


def case_chapter(case: Case, number: int, base_url: str) -> dict:
    images = list(case.images.all())
    cover = next((i for i in images if i.is_cover), images[0] if images else None)
    facts = [
        *((case_fields.label(name), _fact(case, name)) for name in FACTS_BEFORE_PERIOD),
        (_("实施时间"), _period(case)),
        *((case_fields.label(name), _fact(case, name)) for name in FACTS_AFTER_PERIOD),
    ]
    return {
        "id": case.pk,
        "number": number,
        "title": case.title,
        "summary": _paragraphs(case.summary),
        "facts": [[name, value] for name, value in facts if value],
        "sections": [
            {"title": title, "paragraphs": paragraphs}
            for title, text in case_fields.sections(case)
            if (paragraphs := _paragraphs(text))
        ],
        "indicators": [
            {"name": i.name, "value": _number(i.value), "unit": i.unit, "baseline": _number(i.baseline)}
            for i in case.indicators.all()
        ],
        "cover": _image(cover, COVER_SPEC) if cover else None,
        "gallery": [img for i in images if i is not cover and (img := _image(i, GALLERY_SPEC))],
        "url": base_url + reverse("website:case", args=[case.pk]),
    }


def book(campaign: Campaign) -> Book:
    """Gather the book's content; the fingerprint covers everything but the generation date."""
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    groups: list[dict] = []
    ids: list[int] = []
    for number, case in enumerate(published_cases(campaign), start=1):
        ids.append(case.pk)
        title = case.tier.title if case.tier else _("入选案例")
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "cases": []})
        groups[-1]["cases"].append(case_chapter(case, number, base_url))
    for group in groups:
        group["heading"] = _("%(tier)s（%(n)d 个）") % {"tier": group["title"], "n": len(group["cases"])}
    content = {
        # Part pages (one per tier) only when the campaign's cases have tiers.
        "parts": any(group["title"] != _("入选案例") for group in groups),
        "site": str(settings.WAGTAIL_SITE_NAME),
        "campaign": {"title": campaign.title, "year": campaign.year, "batch": campaign.batch},
        "count": len(ids),
        "groups": groups,
        "campaign_url": base_url + reverse("website:campaign", args=[campaign.slug]),
    }
    digest = hashlib.sha256(TEMPLATE.read_bytes())
    digest.update(json.dumps(content, ensure_ascii=False, sort_keys=True).encode())
    now = timezone.localtime()
    data = {**content, "generated": f"{now:%Y年%-m月%-d日}"}
    return Book(data=data, fingerprint=digest.hexdigest(), case_ids=sorted(ids))


def _image_paths(data: dict) -> list[str]:
    chapters = [chapter for group in data["groups"] for chapter in group["cases"]]
    images = [c["cover"] for c in chapters if c["cover"]] + [g for c in chapters for g in c["gallery"]]
    return [image["path"] for image in images]


def render(book_: Book) -> bytes:
    with typst_root(_image_paths(book_.data)) as root:
        return typst.compile(
            TEMPLATE.read_bytes(), root=root, font_paths=[str(FONT_DIR)], ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(book_.data, ensure_ascii=False)},
        )
