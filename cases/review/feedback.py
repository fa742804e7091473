"""Reviewers' comments back to the submitting side, anonymised, once the review is complete."""

from __future__ import annotations

from .. import permissions
from ..models import Case, ReviewAssignment, ReviewStatus
from ..states import CaseStatus

AFTER_REVIEW = {
    CaseStatus.REVIEWED, CaseStatus.SHORTLISTED, CaseStatus.NOT_SELECTED, CaseStatus.IN_NOTICE,
    CaseStatus.PUBLISHED, CaseStatus.DISQUALIFIED,
}


def anonymised_comments(*, case: Case, user) -> list[str]:
    """Comments only (no names, no scores), where the campaign shares them, for the case's own side."""
    if not case.campaign.share_comments_with_submitters or case.status not in AFTER_REVIEW:
        return []
    if not (permissions.can_view_contacts(user, case) and not permissions.is_staff_role(user)):
        return []
    comments = (
        ReviewAssignment.objects.filter(case=case, status=ReviewStatus.FINAL)
        .exclude(comment="")
        .order_by("?")  # no order that could hint at who wrote which
        .values_list("comment", flat=True)
    )
    return list(comments)
