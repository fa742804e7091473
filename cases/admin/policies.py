"""Wagtail permission policies that only delegate to `cases/permissions.py`.

Wagtail asks a policy two kinds of question: "may this user do X to some case?" (menus,
header buttons) and "may this user do X to this case?" (object views). Both answers come
from `cases.permissions`; nothing here decides on its own.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from accounts.roles import Role

from .. import permissions
from ..models import Campaign, Case
from ..states import EDITABLE_STATES, CaseStatus

SIGNED_IN_ROLES = frozenset(Role.values)


def _active_users(roles) -> QuerySet:
    User = get_user_model()
    return User.objects.filter(is_active=True, role__in=list(roles))


class CasePermissionPolicy(BasePermissionPolicy):
    """add: submitters of a region; change: editable cases in scope; view: visible cases."""

    def __init__(self, model=Case):
        super().__init__(model)

    def user_has_permission(self, user, action: str) -> bool:
        role = permissions.role_of(user)
        if role is None:
            return False
        if action == "add":
            return permissions.can_create_case(user)
        if action in {"change", "delete"}:
            return role == Role.SUBMITTER and user.region is not None
        if action == "view":
            return True
        return False

    def user_has_permission_for_instance(self, user, action: str, instance: Case) -> bool:
        if action == "add":
            return permissions.can_create_case(user, instance.region if instance.region_id else None)
        if action == "change":
            return permissions.can_edit_case(user, instance)
        if action == "delete":
            # Drafts only, by their own submitting side; see `deletable()` for why none qualify yet.
            return (
                instance.status == CaseStatus.DRAFT
                and permissions.can_edit_case(user, instance)
                and deletable(instance)
            )
        if action == "view":
            return permissions.can_view_case(user, instance)
        return False

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet[Case]:
        if "view" in actions or "inspect" in actions:
            return permissions.visible_cases(user)
        if ("change" in actions or "delete" in actions) and permissions.role_of(user) == Role.SUBMITTER:
            # can_edit_case: the submitter's scope (its working cases) in an editable state.
            return permissions.working_cases(user).filter(status__in=list(EDITABLE_STATES))
        return Case.objects.none()

    def users_with_any_permission(self, actions) -> QuerySet:
        if "view" in actions:
            return _active_users(SIGNED_IN_ROLES)
        return _active_users({Role.SUBMITTER})


def deletable(case: Case) -> bool:
    """A case with audit records can't be deleted (its history is immutable and protects it).

    Every case gets a `create` record from `workflow.create_draft`, so in practice a draft is
    ended by `withdraw`, not deleted.
    """
    return not case.history.exists()


class CampaignPermissionPolicy(BasePermissionPolicy):
    """Only the secretariat and administrators configure campaigns."""

    def __init__(self, model=Campaign):
        super().__init__(model)

    def user_has_permission(self, user, action: str) -> bool:
        return permissions.can_manage_campaigns(user)

    def user_has_permission_for_instance(self, user, action: str, instance: Campaign) -> bool:
        if action == "delete":
            return permissions.can_manage_campaigns(user) and not instance.cases.exists()
        return permissions.can_manage_campaigns(user)

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet[Campaign]:
        if permissions.can_manage_campaigns(user):
            return Campaign.objects.all()
        return Campaign.objects.none()

    def users_with_any_permission(self, actions) -> QuerySet:
        return _active_users({Role.SECRETARIAT, Role.ADMIN})
