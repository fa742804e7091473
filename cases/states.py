"""Case and campaign states (docs/domain.md §4, §5) and the transition names."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RECOMMENDED = "recommended", _("已推荐")
    RETURNED = "returned", _("退回修改")
    ELIGIBLE = "eligible", _("形式审查通过")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    IN_REVIEW = "in_review", _("专家评审中")
    REVIEWED = "reviewed", _("评审完成")
    SHORTLISTED = "shortlisted", _("拟入选")
    NOT_SELECTED = "not_selected", _("未入选")
    IN_NOTICE = "in_notice", _("公示中")
    PUBLISHED = "published", _("已发布")
    DISQUALIFIED = "disqualified", _("已撤销")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("征集截止")
    REVIEWING = "reviewing", _("评审中")
    NOTICE = "notice", _("公示中")
    FINISHED = "finished", _("已结束")


# States in which the submitter's own content may still be edited.
EDITABLE_STATES = frozenset({CaseStatus.DRAFT, CaseStatus.RETURNED})

# States that hold a place of their tier: shortlisting counts them against the tier's quota
# (`guards.shortlist`), and the selection page shows them as taken.
TIER_HOLDING_STATES = frozenset({CaseStatus.SHORTLISTED, CaseStatus.IN_NOTICE, CaseStatus.PUBLISHED})
