"""Who may see and do what (docs/domain.md §3): the one place that answers it.

Querysets, admin views, the API, file serving, the 查重 pages and the search index (which
cases are public: `PUBLIC_STATES`) all ask here.
Invisible objects are reported as missing (404) by callers, never as forbidden.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

# Re-exported: who a user is and what they may do with accounts is answered below cases (accounts
# stands below cases), and callers keep asking this one module.
from accounts.permissions import (  # noqa: F401
    can_create_submitter_accounts,
    can_manage_accounts,
    is_staff_role,
    region_in_scope,
    role_of,
)
from accounts.roles import Role
from regions.models import Region, RegionLevel

from . import review_scope
from .models import Case, CaseAttachment, CaseImage
from .states import EDITABLE_STATES, CaseStatus

# States a reviewer sees when assigned (docs/domain.md §3).
REVIEWER_STATES = frozenset(
    {
        CaseStatus.IN_REVIEW,
        CaseStatus.REVIEWED,
        CaseStatus.SHORTLISTED,
        CaseStatus.NOT_SELECTED,
        CaseStatus.IN_NOTICE,
    }
)
PUBLIC_STATES = frozenset({CaseStatus.PUBLISHED})


def region_scope_q(region: Region, prefix: str = "") -> Q:
    """Cases of `region` and every region under it."""
    if region.level == RegionLevel.PROVINCE:
        return Q(**{f"{prefix}province": region.code})
    if region.level == RegionLevel.PREFECTURE:
        return Q(**{f"{prefix}prefecture": region.code})
    return Q(**{f"{prefix}region": region.code})


def _assigned_q(user) -> Q:
    """Cases assigned to a reviewer (a declared conflict ends the assignment's visibility)."""
    return review_scope.assigned_cases_q(user)


def visible_cases(user) -> QuerySet[Case]:
    """Every case `user` may open in the admin or the signed-in API."""
    qs = Case.objects.all()
    role = role_of(user)
    published = Q(status__in=PUBLIC_STATES)
    if role is None:
        return qs.filter(published)
    if role in {Role.SECRETARIAT, Role.ADMIN}:
        return qs
    if role == Role.SUBMITTER:
        if user.region is None:
            return qs.filter(published)
        return qs.filter(region_scope_q(user.region) | published)
    if role == Role.RECOMMENDER:
        if user.region is None:
            return qs.filter(published)
        return qs.filter((region_scope_q(user.region) & ~Q(status=CaseStatus.DRAFT)) | published)
    if role == Role.REVIEWER:
        return qs.filter((_assigned_q(user) & Q(status__in=REVIEWER_STATES)) | published)
    return qs.filter(published)


def working_cases(user) -> QuerySet[Case]:
    """The cases a user works on (their lists and dashboards): visible ones minus other regions' published cases."""
    role = role_of(user)
    qs = visible_cases(user)
    if role in {Role.SUBMITTER, Role.RECOMMENDER} and user.region is not None:
        return qs.filter(region_scope_q(user.region))
    if role == Role.REVIEWER:
        return qs.filter(_assigned_q(user))
    return qs


def can_view_case(user, case: Case) -> bool:
    return visible_cases(user).filter(pk=case.pk).exists()


def can_create_case(user, region: Region | None = None) -> bool:
    if role_of(user) != Role.SUBMITTER or user.region is None:
        return False
    return region is None or region_in_scope(user, region)


def can_edit_case(user, case: Case) -> bool:
    """Content edits: the submitting side, within its scope, while the case is a draft or returned."""
    return (
        role_of(user) == Role.SUBMITTER
        and user.region is not None
        and region_in_scope(user, case.region)
        and case.status in EDITABLE_STATES
    )


def can_view_history(user, case: Case) -> bool:
    """The audit trail (who acted, their reasons): the secretariat and the case's own submitting side.

    Reviewers see the case, not who submitted or recommended it (a campaign may hide the
    organisation from them), and readers of a published case from other regions see none of it.
    """
    role = role_of(user)
    if role in {Role.SECRETARIAT, Role.ADMIN}:
        return True
    return role in {Role.SUBMITTER, Role.RECOMMENDER} and working_cases(user).filter(pk=case.pk).exists()


def can_view_contacts(user, case: Case) -> bool:
    """Personal contact details: the secretariat, and the case's own submitters and recommenders."""
    role = role_of(user)
    if role in {Role.SECRETARIAT, Role.ADMIN}:
        return True
    if role in {Role.SUBMITTER, Role.RECOMMENDER} and user.region is not None:
        return region_in_scope(user, case.region) and (role == Role.SUBMITTER or case.status != CaseStatus.DRAFT)
    return False


def _sees_all_files(user, case: Case) -> bool:
    """Signed-in users who see the case in their working capacity see all its files."""
    role = role_of(user)
    if role in {Role.SECRETARIAT, Role.ADMIN}:
        return True
    return role is not None and working_cases(user).filter(pk=case.pk).exists()


def can_view_attachment(user, attachment: CaseAttachment) -> bool:
    case = attachment.case
    if attachment.kind == "recommendation_letter" and role_of(user) == Role.REVIEWER:
        return False  # it names the organisation, which a campaign may hide from reviewers
    if _sees_all_files(user, case):
        return True
    return case.status in PUBLIC_STATES and attachment.public and attachment.kind != "recommendation_letter"


def can_view_image(user, image: CaseImage) -> bool:
    case = image.case
    return case.status in PUBLIC_STATES or _sees_all_files(user, case)


def visible_attachments(user, case: Case) -> QuerySet[CaseAttachment]:
    qs = case.attachments.select_related("document")
    if role_of(user) == Role.REVIEWER:
        qs = qs.exclude(kind="recommendation_letter")
    if _sees_all_files(user, case):
        return qs
    if case.status in PUBLIC_STATES:
        return qs.filter(public=True).exclude(kind="recommendation_letter")
    return qs.none()


def can_view_organisation(user, case: Case) -> bool:
    """The submitting organisation: hidden from reviewers where the campaign says so (until published)."""
    if role_of(user) == Role.REVIEWER and case.campaign.hide_organisation_from_reviewers:
        return case.status in PUBLIC_STATES
    return True


def can_grant_extension(user, case: Case) -> bool:
    """The secretariat may move one case's own deadline while the case can still be submitted."""
    return is_staff_role(user) and case.status in EDITABLE_STATES


def can_print_application(user, case: Case) -> bool:
    """The printable 申报书 (with contact details) exists once a case has been submitted."""
    return case.status != CaseStatus.DRAFT and can_view_contacts(user, case)


def can_export_nominations(user) -> bool:
    return role_of(user) == Role.RECOMMENDER and user.region is not None


def can_manage_campaigns(user) -> bool:
    return is_staff_role(user)


# --- 查重 (similarity reports, docs/similarity.md) -------------------------------------------


def can_view_similarity(user, case: Case) -> bool:
    """The report of a submitted case: the secretariat, and the recommender of the case's province
    (before it nominates). Reviewers never (blind review); submitters check themselves (自查)."""
    role = role_of(user)
    if role in {Role.SECRETARIAT, Role.ADMIN}:
        return True
    return (
        role == Role.RECOMMENDER and user.region is not None
        and case.status != CaseStatus.DRAFT and region_in_scope(user, case.region)
    )


def can_rerun_similarity(user) -> bool:
    return is_staff_role(user)


def can_self_check(user, case: Case | None = None) -> bool:
    """A submitter checks its own text against published cases before submitting."""
    if role_of(user) != Role.SUBMITTER or user.region is None:
        return False
    return case is None or can_edit_case(user, case)


def visible_case_ids(user, case_ids) -> set[int]:
    """Which of these cases `user` may open: the others are named in reports only as
    "其他省份未公开案例" (their share still counts in the figures)."""
    return set(visible_cases(user).filter(pk__in=list(case_ids)).values_list("pk", flat=True))
