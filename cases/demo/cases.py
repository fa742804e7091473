"""Demo cases, each brought to its state through the workflow and editing services.

Which campaign and state a generated case gets depends only on its position in the
generated list, so a re-run makes the same decisions and skips what exists (by title).
Later issues add states by extending PATTERN and `STEPS` (e.g. review, notice).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from .. import editing, workflow
from ..models import Campaign, Case, Region
from ..states import CaseStatus
from . import images
from .pdf import minimal_pdf

PUBLISHED_SOURCE = "2025年度遴选结果（演示数据）"
PUBLISHED_AT = datetime(2025, 12, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
# One slot per case, cycling: 9 of 20 are 2025 results, the rest 2026 submissions in work.
PATTERN = [
    "published", "draft", "published", "submitted", "published", "recommended", "published", "submitted",
    "published", "returned", "published", "draft", "published", "recommended", "published", "withdrawn",
    "published", "submitted", "draft", "rejected",
]
# Places a demo province uses per category, leaving one of the quota (3) for people trying it out.
DEMO_NOMINATIONS = 2
RETURN_REASONS = [
    "请补充近一年的成效数据，并上传培训台账等佐证材料。",
    "“可复制推广”部分请写明投入成本和实施周期。",
    "案例摘要偏长，请精炼到 300 字以内并突出特色做法。",
]
WITHDRAW_REASON = "单位工作安排调整，本年度暂不申报，明年完善后再报。"
DECLINE_REASON = "与本次征集方向契合度不高，建议结合本地实际进一步提炼后参加下一批次。"


@dataclass
class Actors:
    """Who acts: the secretariat for imports; per province, its submitter and recommender."""

    secretariat: object
    submitters: dict[str, object]
    recommenders: dict[str, object]


def state_for(index: int) -> str:
    return PATTERN[index % len(PATTERN)]


def _fields(item: dict) -> dict:
    """The generated content as keyword arguments for the workflow (dates parsed; title,
    region, indicators and the category hint are passed separately)."""
    skip = {"title", "region", "indicators", "category_hint"}
    fields = {k: v for k, v in item.items() if k not in skip}
    fields["period_start"] = date.fromisoformat(item["period_start"]) if item.get("period_start") else None
    fields["period_end"] = date.fromisoformat(item["period_end"]) if item.get("period_end") else None
    return fields


def published_ordinal(index: int) -> int:
    """How many published slots come before `index`: makes the tier depend on position only."""
    whole, part = divmod(index, len(PATTERN))
    return whole * PATTERN.count("published") + PATTERN[:part].count("published")


class CaseMaker:
    def __init__(self, *, finished: Campaign, open_campaign: Campaign, actors: Actors,
                 regions: dict[str, Region]) -> None:
        self.finished = finished
        self.open = open_campaign
        self.actors = actors
        self.regions = regions
        self.categories = {
            c.pk: {cat.code: cat for cat in c.categories.all()} for c in (finished, open_campaign)
        }
        self.tiers = {t.code: t for t in finished.tiers.all()}
        self.nominations = Counter(
            Case.objects.filter(campaign=open_campaign, status=CaseStatus.RECOMMENDED)
            .values_list("province_id", "category_id")
        )

    def make(self, index: int, item: dict) -> Case:
        """One case in its planned state, in one transaction."""
        region = self.regions[item["region"]]
        with transaction.atomic():
            if state_for(index) == "published":
                return self._published(index, item, region)
            return self._submission(index, item, region, state_for(index))

    def _published(self, index: int, item: dict, region: Region) -> Case:
        category = self.categories[self.finished.pk].get(item.get("category_hint"))
        tier = self.tiers["exemplary" if published_ordinal(index) % 3 == 0 else "excellent"]
        by = self.actors.secretariat
        case = workflow.import_published(
            by=by, campaign=self.finished, source=PUBLISHED_SOURCE,
            published_at=PUBLISHED_AT + timedelta(minutes=index), tier=tier, title=item["title"],
            region=region, category=category, indicators=item["indicators"], **_fields(item),
        )
        images.add_cover_to_published(
            case=case, by=by, jpeg=images.cover_jpeg(item.get("category_hint", ""), index),
            alt=images.alt_text(case.title),
        )
        return case

    def _submission(self, index: int, item: dict, region: Region, state: str) -> Case:
        province = region.province_code
        submitter = self.actors.submitters[province]
        recommender = self.actors.recommenders[province]
        category = self.categories[self.open.pk].get(item.get("category_hint"))
        case = workflow.create_draft(
            by=submitter, campaign=self.open, title=item["title"], region=region, category=category, **_fields(item),
        )
        editing.replace_indicators(case, item["indicators"])
        images.add_cover(
            case=case, by=submitter, jpeg=images.cover_jpeg(item.get("category_hint", ""), index),
            alt=images.alt_text(case.title),
        )
        if state == "draft":
            return case
        editing.add_attachment(
            case=case, by=submitter, title="工作台账与成效数据（演示）", public=True,
            file=SimpleUploadedFile(
                "evidence.pdf", minimal_pdf(["Casebook demo evidence", f"Case {case.pk}", item["region"]]),
                content_type="application/pdf",
            ),
        )
        case = workflow.transition(case=case, name="submit", by=submitter)
        if state == "recommended":
            key = (case.province_id, case.category_id)
            if self.nominations[key] < DEMO_NOMINATIONS:
                case = workflow.transition(case=case, name="recommend", by=recommender)
                self.nominations[key] += 1
        elif state == "returned":
            case = workflow.transition(case=case, name="return_for_revision", by=recommender,
                                       reason=RETURN_REASONS[index % len(RETURN_REASONS)])
        elif state == "withdrawn":
            case = workflow.transition(case=case, name="withdraw", by=submitter, reason=WITHDRAW_REASON)
        elif state == "rejected":
            case = workflow.transition(case=case, name="decline", by=recommender, reason=DECLINE_REASON)
        return case
