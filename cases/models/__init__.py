from .campaigns import Campaign, CampaignCategory, QuotaOverride, RubricCriterion, Tier
from .cases import Case, CaseAttachment, CaseImage, CaseIndicator, CaseLink
from .history import CaseTransition
from .regions import Region

__all__ = [
    "Campaign",
    "CampaignCategory",
    "Case",
    "CaseAttachment",
    "CaseImage",
    "CaseIndicator",
    "CaseLink",
    "CaseTransition",
    "QuotaOverride",
    "Region",
    "RubricCriterion",
    "Tier",
]
