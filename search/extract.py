"""What of a case is searchable: the same fields for both backends.

Only published cases are ever turned into index documents (docs/domain.md §3); contact details
never are.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from cases import case_fields
from cases.models import Case
from cases.permissions import PUBLIC_STATES
from cases.taxonomies import KeyGroup, OrganisationType, Scenario, SpecialProject, TaskArea, label_of

BODY_SECTIONS = case_fields.BODY
QUOTED_NAME = re.compile(r"[“\"「]([^”\"」]{2,20})[”\"」]")


@dataclass(frozen=True)
class CaseText:
    case_id: int
    title: str
    summary: str
    about: str
    body: str
    facets: dict[str, tuple]
    published_at: datetime | None

    @property
    def fields(self) -> dict[str, str]:
        return {"title": self.title, "summary": self.summary, "about": self.about, "body": self.body}

    def digest(self) -> str:
        """A hash of everything indexed: `search_check` finds index rows that are out of date."""
        payload = json.dumps(
            [self.fields, {k: list(v) for k, v in self.facets.items()}, str(self.published_at)],
            ensure_ascii=False, sort_keys=True, default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


def searchable_cases() -> QuerySet[Case]:
    """Published cases with what indexing reads, in a fixed number of queries."""
    return (
        Case.objects.filter(status__in=PUBLIC_STATES)
        .select_related("region", "province", "prefecture", "campaign", "category", "tier")
        .prefetch_related("indicators")
    )


def is_searchable(case: Case) -> bool:
    return case.status in PUBLIC_STATES


def _about(case: Case) -> str:
    """Where and who, and the taxonomy labels: a case tagged 老年人 is found by 老年人."""
    parts = [case.province.name if case.province_id else ""]
    if case.prefecture_id and case.prefecture:
        parts.append(case.prefecture.name)
    if case.region_id and case.region_id not in (case.province_id, case.prefecture_id):
        parts.append(case.region.name)
    parts += [case.organisation, case.category.title if case.category_id else ""]
    parts += [label_of(Scenario, s) for s in case.scenarios or []]
    parts += [label_of(KeyGroup, g) for g in case.key_groups or []]
    for enum, code in ((TaskArea, case.task_area), (SpecialProject, case.special_project),
                       (OrganisationType, case.organisation_type)):
        if code:
            parts.append(label_of(enum, code))
    return " ".join(p for p in parts if p)


def _body(case: Case) -> str:
    sections = [getattr(case, name) or "" for name in BODY_SECTIONS]
    sections += [i.name for i in case.indicators.all()]
    return "\n".join(s for s in sections if s)


def facet_values(case: Case) -> dict[str, tuple]:
    return {
        "province": (case.province_id,) if case.province_id else (),
        "scenario": tuple(case.scenarios or ()),
        "task": (case.task_area,) if case.task_area else (),
        "group": tuple(case.key_groups or ()),
        "campaign": (case.campaign.slug,),
        "tier": (case.tier.code,) if case.tier_id else (),
        "year": (case.campaign.year,),
    }


def case_text(case: Case) -> CaseText:
    return CaseText(
        case_id=case.pk,
        title=case.title,
        summary=case.summary or "",
        about=_about(case),
        body=_body(case),
        facets=facet_values(case),
        published_at=case.published_at,
    )


def suggestion_inputs(title: str) -> list[str]:
    """What a prefix may complete to: the title and the project names quoted in it."""
    names = QUOTED_NAME.findall(title)
    return list(dict.fromkeys([title, *names]))
