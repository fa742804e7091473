"""The two demo campaigns: 2025 (finished, results published) and 2026 (open for submissions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from ..models import Campaign, CampaignCategory, RubricCriterion, Tier
from ..states import CampaignStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
FINISHED_SLUG = "2025-digital-literacy"
OPEN_SLUG = "2026-digital-literacy"
RUBRIC = [
    ("innovation", "创新性", "做法新颖，在机制、模式或技术应用上有突破。", 25),
    ("effectiveness", "实效性", "成效明显，有可量化的指标和群众评价。", 30),
    ("replicability", "可复制可推广性", "前提条件、成本、周期和步骤清楚，其他地区可借鉴。", 25),
    ("leadership", "示范带动性", "对本地区、本行业有带动作用，社会影响较好。", 20),
]
TIERS = [("exemplary", "示范案例"), ("excellent", "优秀案例")]
CALL_TEXT = (
    "<p>为贯彻落实《提升全民数字素养与技能行动纲要》，推动形成一批可复制可推广的典型案例，"
    "现面向各地区、各行业组织开展{year}年度提升全民数字素养与技能典型案例征集工作。</p>"
    "<p>申报单位通过本系统在线填报申报书，经省级网信部门推荐后，由组织方开展形式审查、专家评审、"
    "遴选和公示，入选案例在典型案例库发布。</p>"
)


@dataclass(frozen=True)
class DemoCampaigns:
    finished: Campaign
    open: Campaign


def _local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def _children(campaign: Campaign, categories: list[tuple[str, str]], tier_quotas: dict[str, int]) -> None:
    for i, (code, title) in enumerate(categories):
        CampaignCategory.objects.create(campaign=campaign, code=code, title=title[:60], sort_order=i)
    for i, (code, name, description, max_score) in enumerate(RUBRIC):
        RubricCriterion.objects.create(
            campaign=campaign, code=code, name=name, description=description, max_score=max_score, sort_order=i
        )
    for i, (code, title) in enumerate(TIERS):
        Tier.objects.create(campaign=campaign, code=code, title=title, quota=tier_quotas[code], sort_order=i)


def _ensure(slug: str, fields: dict, categories, tier_quotas) -> Campaign:
    existing = Campaign.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        campaign = Campaign(slug=slug, **fields)
        campaign.full_clean()
        campaign.save()
        _children(campaign, categories, tier_quotas)
    return campaign


def ensure_campaigns(*, categories: list[tuple[str, str]], published: int) -> DemoCampaigns:
    """Both demo campaigns, created once (found by slug afterwards).

    The 2025 campaign is created finished: campaigns have no lifecycle code yet, and its
    results enter through `workflow.import_published`, which needs a finished campaign.
    Tier quotas leave room for `published` imported cases (a third exemplary, the rest excellent).
    """
    exemplary = max(1, published // 3 + 1)
    finished = _ensure(
        FINISHED_SLUG,
        {
            "title": "2025年提升全民数字素养与技能典型案例征集",
            "year": 2025,
            "call_text": CALL_TEXT.format(year=2025),
            "status": CampaignStatus.FINISHED,
            "submission_opens": _local(2025, 4, 1, 9),
            "submission_closes": _local(2025, 6, 30, 18),
            "review_deadline": _local(2025, 9, 30, 18),
            "default_quota": 8,
        },
        categories,
        {"exemplary": exemplary, "excellent": max(1, published - exemplary + 1)},
    )
    now = timezone.now()
    opens = timezone.localtime(now - timedelta(days=30), SHANGHAI).replace(hour=9, minute=0, second=0, microsecond=0)
    closes = timezone.localtime(now + timedelta(days=45), SHANGHAI).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    open_campaign = _ensure(
        OPEN_SLUG,
        {
            "title": "2026年提升全民数字素养与技能典型案例征集",
            "year": 2026,
            "call_text": CALL_TEXT.format(year=2026),
            "status": CampaignStatus.OPEN,
            "submission_opens": opens,
            "submission_closes": closes,
            "default_quota": 3,
            "share_comments_with_submitters": True,
        },
        categories,
        {"exemplary": 20, "excellent": 60},
    )
    return DemoCampaigns(finished=finished, open=open_campaign)
