# Region lives in the regions app (below accounts and cases); named here too for the domain's callers.
from regions.models import Region

from .adoptions import Adoption
from .campaigns import Campaign, CampaignCategory, QuotaOverride, RubricCriterion, Tier
from .cases import Case, CaseAttachment, CaseImage, CaseIndicator, CaseLink
from .history import CaseTransition
from .nomination import NominationLock
from .objections import Objection, ObjectionOutcome
from .review import ReviewAssignment, ReviewerPoolMember, ReviewStatus

__all__ = [
    "Adoption",
    "Campaign",
    "CampaignCategory",
    "Case",
    "CaseAttachment",
    "CaseImage",
    "CaseIndicator",
    "CaseLink",
    "CaseTransition",
    "NominationLock",
    "Objection",
    "ObjectionOutcome",
    "QuotaOverride",
    "Region",
    "ReviewAssignment",
    "ReviewStatus",
    "ReviewerPoolMember",
    "RubricCriterion",
    "Tier",
]
