"""Accounts: role groups, creating and disabling users, and the set-password e-mail.

Who may do what comes from `accounts.permissions` (can_manage_accounts,
can_create_submitter_accounts); this module only applies it to users.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from . import permissions
from .models import User
from .roles import Role

logger = logging.getLogger(__name__)

# One group per role; stable names (they are shown in Wagtail's group admin).
ROLE_GROUPS: dict[str, str] = {
    Role.SUBMITTER: "申报单位",
    Role.RECOMMENDER: "推荐单位",
    Role.SECRETARIAT: "组织方",
    Role.REVIEWER: "评审专家",
    Role.ADMIN: "系统管理员",
}
STAFF_ROLES = frozenset({Role.SECRETARIAT, Role.ADMIN})
# Wagtail content permissions the secretariat and administrators keep (site pages and media).
STAFF_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"), ("wagtailimages", "change_image"), ("wagtailimages", "delete_image"),
    ("wagtailimages", "choose_image"), ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"), ("wagtaildocs", "choose_document"),
)
STAFF_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


class AccountError(Exception):
    """A refused account operation, with a Chinese message for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- groups ---------------------------------------------------------------------------------


def ensure_role_groups() -> dict[str, Group]:
    """Create (or complete) one group per role with access to the Wagtail admin; idempotent."""
    access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    groups: dict[str, Group] = {}
    for role, name in ROLE_GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        if access is not None:
            group.permissions.add(access)
        if role in STAFF_ROLES:
            _grant_staff_content_permissions(group)
        groups[role] = group
    return groups


def _grant_staff_content_permissions(group: Group) -> None:
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, codename in STAFF_COLLECTION_PERMISSIONS:
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=perm
                )
    root_page = Page.get_first_root_node()
    if root_page is not None:
        for codename in STAFF_PAGE_PERMISSIONS:
            perm = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
            if perm is not None:
                GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=perm)


def sync_role_group(user: User) -> None:
    """Put the user in their role's group (and no other role group)."""
    name = ROLE_GROUPS.get(user.role)
    group = Group.objects.filter(name=name).first() if name else None
    if name and group is None:
        group = ensure_role_groups()[user.role]
    others = Group.objects.filter(name__in=[n for r, n in ROLE_GROUPS.items() if r != user.role])
    user.groups.remove(*others)
    if group is not None:
        user.groups.add(group)


# --- who may manage whom ------------------------------------------------------------------------


def creatable_roles(actor) -> list[str]:
    """Roles `actor` may create accounts for: every role (secretariat), submitters (recommender)."""
    if permissions.can_manage_accounts(actor):
        return list(Role.values)
    if permissions.role_of(actor) == Role.RECOMMENDER and actor.region_id:
        return [Role.SUBMITTER]
    return []


def manageable_users(actor) -> QuerySet[User]:
    """The accounts `actor` sees in the account list."""
    users = User.objects.select_related("region", "region__province").order_by("-date_joined", "username")
    if permissions.can_manage_accounts(actor):
        return users
    if permissions.role_of(actor) == Role.RECOMMENDER and actor.region_id:
        return users.filter(role=Role.SUBMITTER, region__province=actor.region.province_code)
    return users.none()


def may_create(actor, role: str, region) -> bool:
    if role not in creatable_roles(actor):
        return False
    if permissions.can_manage_accounts(actor):
        return True
    return region is not None and permissions.can_create_submitter_accounts(actor, region)


# --- operations ---------------------------------------------------------------------------------


def create_account(
    *, by, username: str, name: str, email: str, role: str, region=None, organisation: str = "", phone: str = ""
) -> User:
    """A new account without a known password; its owner gets an e-mail to set one."""
    if not may_create(by, role, region):
        raise AccountError(_("您无权创建该角色或该地区的账号。"))
    with transaction.atomic():
        user = User(
            username=username.strip(), first_name=name.strip(), email=email.strip(), role=role,
            region=region, organisation=organisation.strip(), phone=phone.strip(),
        )
        # A random password nobody knows: the account can't be signed into until its owner sets
        # one, yet "forgot password" still works (Django skips unusable passwords there).
        user.set_password(secrets.token_urlsafe(32))
        user.full_clean(exclude=["password"])
        user.save()
        sync_role_group(user)
    send_set_password_email(user)
    return user


def update_account(*, by, user: User, **fields) -> User:
    if not permissions.can_manage_accounts(by):
        raise AccountError(_("只有组织方可以修改账号信息。"))
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    user.full_clean(exclude=["password"])
    user.save()
    sync_role_group(user)
    return user


def set_active(*, by, user: User, active: bool) -> User:
    """Enable or disable an account; disabling ends its sessions (its API tokens stop at once)."""
    if not permissions.can_manage_accounts(by):
        raise AccountError(_("只有组织方可以停用或启用账号。"))
    if user.pk == by.pk and not active:
        raise AccountError(_("不能停用自己的账号。"))
    if user.is_superuser and not by.is_superuser:
        raise AccountError(_("只有系统管理员可以停用管理员账号。"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        end_sessions(user)
    return user


def end_sessions(user: User) -> int:
    """Delete every stored session of `user`; returns how many were ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        try:
            data = session.get_decoded()
        except Exception:  # noqa: S112 - a corrupt session is simply not theirs
            continue
        if str(data.get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def resend_set_password(*, by, user: User) -> None:
    if user not in manageable_users(by):
        raise AccountError(_("未找到该账号，或您无权管理。"))
    if not user.is_active:
        raise AccountError(_("该账号已停用，请先启用。"))
    send_set_password_email(user)


def set_password_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("wagtailadmin_password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_set_password_email(user: User) -> None:
    """The (Chinese) e-mail with a one-time link to set the password."""
    if not user.email:
        logger.warning("User %s has no e-mail address; no set-password link sent", user.pk)
        return
    context = {
        "user": user,
        "name": user.get_display_name(),
        "url": set_password_url(user),
        "login_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_login"),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "role": user.get_role_display(),
        "valid_days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1),
    }
    subject = render_to_string("accounts/emails/set_password_subject.txt", context).strip()
    body = render_to_string("accounts/emails/set_password.txt", context)
    send_mail(subject, body, None, [user.email])


def validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
