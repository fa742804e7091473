"""Demo accounts: fixed role accounts plus a submitter and a recommender per demo province.

Every demo account shares one password: `DEMO_PASSWORD` from the environment, or the
documented default below (it satisfies the password rules: 18 characters, four classes).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accounts import services
from accounts.roles import Role

if TYPE_CHECKING:
    from ..models import Region

# Django models are imported inside the functions: `make demo` imports demo_password()
# with plain `python -c`, before Django is set up.

DEFAULT_DEMO_PASSWORD = "Casebook-Demo-2026"  # noqa: S105 (documented demo default, docs/demo.md)
EMAIL_DOMAIN = "example.cn"
# The two provinces with short, memorable account names (the examples of docs/domain.md use them).
NAMED_PROVINCES = {"440000": "gd", "330000": "zj"}
REVIEWERS = [
    ("reviewer1", "110000", "北京信息科技研究院"),
    ("reviewer2", "310000", "上海数字社会研究中心"),
    ("reviewer3", "420000", "湖北省终身教育研究所"),
    ("reviewer4", "510000", "四川信息化发展研究院"),
    ("reviewer5", "610000", "陕西数字经济研究院"),
    ("reviewer6", "210000", "辽宁数字技能培训评价中心"),
]
# Fallback group names when accounts.services (role groups) is not available.
ROLE_GROUP_NAMES = {
    Role.SUBMITTER: "申报单位",
    Role.RECOMMENDER: "推荐单位",
    Role.SECRETARIAT: "组织方",
    Role.REVIEWER: "评审专家",
    Role.ADMIN: "系统管理员",
}


def demo_password() -> str:
    """The password of every demo account (printed by `make demo`)."""
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    region: str | None
    organisation: str
    superuser: bool = False


def submitter_username(province: str) -> str:
    return f"submitter-{NAMED_PROVINCES.get(province, province)}"


def recommender_username(province: str) -> str:
    return f"recommender-{NAMED_PROVINCES.get(province, province)}"


def _recommender_organisation(region: Region) -> str:
    party = "党委" if region.kind == "autonomous_region" else "委"
    return f"{region.name}{party}网信办"


def account_specs(provinces: Iterable[Region]) -> list[DemoAccount]:
    """Fixed accounts, reviewers, and one submitter and one recommender per province."""
    specs = [
        DemoAccount("admin", Role.ADMIN, None, "典型案例库运维组", superuser=True),
        DemoAccount("secretariat", Role.SECRETARIAT, None, "全民数字素养与技能提升工作秘书处"),
    ]
    specs += [DemoAccount(u, Role.REVIEWER, code, org) for u, code, org in REVIEWERS]
    for province in sorted(provinces, key=lambda r: r.code):
        specs.append(DemoAccount(recommender_username(province.code), Role.RECOMMENDER, province.code,
                                 _recommender_organisation(province)))
        specs.append(DemoAccount(submitter_username(province.code), Role.SUBMITTER, province.code,
                                 f"{province.name}数字素养与技能提升工作专班"))
    return specs


def check_password(password: str) -> None:
    """The demo password must pass the same rules as any other (raises ValidationError)."""
    from django.contrib.auth.password_validation import validate_password

    validate_password(password)


def ensure_accounts(specs: list[DemoAccount], *, password: str) -> int:
    """Create missing accounts (existing usernames are left alone); returns how many were created."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    existing = set(User.objects.filter(username__in=[s.username for s in specs]).values_list("username", flat=True))
    # One hash for all: PBKDF2 costs ~0.5 s a call, and the accounts share the password anyway.
    hashed = make_password(password)
    created = []
    for spec in specs:
        if spec.username in existing:
            continue
        user = User(
            username=spec.username, email=f"{spec.username}@{EMAIL_DOMAIN}", role=spec.role,
            region_id=spec.region, organisation=spec.organisation, password=hashed,
            is_superuser=spec.superuser, is_staff=spec.superuser,
        )
        user.full_clean(exclude=["password"])
        user.save()
        created.append(user)
    if created:
        grant_admin_access(created)
    return len(created)


def grant_admin_access(users: list) -> None:
    """Role groups through accounts.services when it offers them; else a group per role with admin access."""
    from django.contrib.auth.models import Group, Permission

    sync = getattr(services, "sync_role_group", None) or getattr(services, "assign_role_group", None)
    if services is not None and hasattr(services, "ensure_role_groups") and sync is not None:
        services.ensure_role_groups()
        for user in users:
            sync(user)
        return
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for user in users:
        if user.is_superuser:
            continue
        group, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[user.role])
        group.permissions.add(access)
        user.groups.add(group)
