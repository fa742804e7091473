"""Who hears about a transition, and what they are told (e-mail and admin list).

Runs from `case_transitioned`, which the workflow sends only after commit: a rolled-back
change notifies nobody.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from cases.models import Case, CaseTransition

from .mail import queue_email
from .models import Notification

logger = logging.getLogger(__name__)

# What the submitting side is told, per transition.
SUBMITTER_MESSAGES = {
    "submit": _("您的案例已提交：%(title)s"),
    "recommend": _("您的案例已获省级推荐：%(title)s"),
    "decline": _("您的案例未获推荐：%(title)s。理由：%(reason)s"),
    "return_for_revision": _("您的案例已被退回修改：%(title)s。理由：%(reason)s"),
    "pass_check": _("您的案例已通过形式审查：%(title)s"),
    "fail_check": _("您的案例未通过形式审查：%(title)s。理由：%(reason)s"),
    "start_review": _("您的案例已进入专家评审：%(title)s"),
    "shortlist": _("您的案例拟入选：%(title)s"),
    "not_select": _("您的案例未入选：%(title)s"),
    "open_notice": _("您的案例正在公示：%(title)s"),
    "publish": _("您的案例已发布：%(title)s"),
    "disqualify": _("您的案例已被取消入选：%(title)s。理由：%(reason)s"),
    "revoke": _("您的案例已被撤销发布：%(title)s。理由：%(reason)s"),
    "reopen": _("您的案例已恢复为已推荐：%(title)s。理由：%(reason)s"),
    "reconsider": _("您的案例将被重新考虑：%(title)s。理由：%(reason)s"),
    "extend_deadline": _("您的案例获准延期提交：%(title)s"),
}
RECOMMENDER_MESSAGES = {
    "submit": _("本省有新提交的案例待推荐：%(title)s"),
    "withdraw": _("本省一件案例已被撤回：%(title)s。理由：%(reason)s"),
    "return_for_revision": _("本省一件已推荐案例被组织方退回修改：%(title)s。理由：%(reason)s"),
    "pass_check": _("本省推荐的案例已通过形式审查：%(title)s"),
    "fail_check": _("本省推荐的案例未通过形式审查：%(title)s。理由：%(reason)s"),
    "publish": _("本省案例已发布：%(title)s"),
}
SECRETARIAT_MESSAGES = {
    "recommend": _("有新推荐的案例待形式审查：%(title)s"),
}


def _active(qs: QuerySet[User]) -> QuerySet[User]:
    return qs.filter(is_active=True)


def recipients(case: Case, record: CaseTransition) -> dict[int, tuple[User, str]]:
    """Users to notify with their message; never the person who acted."""
    ctx = {"title": case.title, "reason": record.reason or _("未填写")}
    out: dict[int, tuple[User, str]] = {}

    def add(users, template):
        for user in users:
            if user.pk != record.by_id and user.pk not in out:
                out[user.pk] = (user, template % ctx)

    name = record.transition
    submitter_template = SUBMITTER_MESSAGES.get(name)
    if submitter_template and case.created_by_id:
        add(_active(User.objects.filter(pk=case.created_by_id)), submitter_template)
    if name in RECOMMENDER_MESSAGES and case.campaign.nomination_required:
        add(_active(User.objects.filter(role=Role.RECOMMENDER, region_id=case.province_id)), RECOMMENDER_MESSAGES[name])
    if name == "recommend" or (name == "submit" and record.to_state == "recommended"):
        add(_active(User.objects.filter(role=Role.SECRETARIAT)), SECRETARIAT_MESSAGES["recommend"])
    return out


def on_case_transitioned(sender, *, case: Case, record: CaseTransition, **kwargs) -> None:
    notify(case, record)


def notify(case: Case, record: CaseTransition) -> list[Notification]:
    created = []
    for user, message in recipients(case, record).values():
        created.append(Notification.objects.create(user=user, case=case, message=message))
        if user.email:
            body = render_to_string(
                "notifications/email.txt",
                {"user": user, "message": message, "case": case, "record": record,
                 "url": f"{settings.WAGTAILADMIN_BASE_URL}/admin/"},
            )
            queue_email(_("【典型案例库】%(message)s") % {"message": message[:60]}, body, [user.email])
    return created


def unread(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def mark_read(user: User) -> int:
    return unread(user).update(read_at=timezone.now())


def on_objection_event(sender, objection, event: str, **kwargs) -> None:
    """The objector hears by e-mail that the objection was received, and later how it was ruled."""
    if not objection.email:
        return
    body = render_to_string("cases/email/objection.txt", {"objection": objection, "event": event})
    subject = _("【典型案例库】异议%(what)s（%(ref)s）") % {
        "what": _("已受理") if event == "received" else _("处理结果"), "ref": objection.reference,
    }
    queue_email(subject, body, [objection.email])
