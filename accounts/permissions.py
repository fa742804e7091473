"""Who a user is and what they may do with accounts: the part of docs/domain.md §3 that needs no case.

`cases.permissions` answers everything about cases and re-exports these, so callers keep asking
one module; they live here because accounts stands below cases (docs/architecture.md, "Layers")."""

from __future__ import annotations

from regions.models import Region, RegionLevel

from .roles import Role


def role_of(user) -> str | None:
    """The role a request acts in; None for anonymous or disabled users."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.effective_role


def is_staff_role(user) -> bool:
    """Secretariat and administrators see every campaign and case."""
    return role_of(user) in {Role.SECRETARIAT, Role.ADMIN}


def region_in_scope(user, region: Region) -> bool:
    """Whether `region` lies within the user's own region (inclusive)."""
    own = getattr(user, "region", None)
    if own is None:
        return False
    if own.level == RegionLevel.PROVINCE:
        return region.province_code == own.code
    if own.level == RegionLevel.PREFECTURE:
        return region.code == own.code or region.prefecture_id == own.code
    return region.code == own.code


def can_manage_accounts(user) -> bool:
    return is_staff_role(user)


def can_create_submitter_accounts(user, region: Region) -> bool:
    """Recommenders create submitter accounts for their own province; the secretariat for any."""
    role = role_of(user)
    if role in {Role.SECRETARIAT, Role.ADMIN}:
        return True
    return role == Role.RECOMMENDER and region_in_scope(user, region)
