"""Reminder e-mails to reviewers who have not finished before the review deadline."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import ReviewAssignment, ReviewStatus
from ..states import CaseStatus


def send_reminders(*, within_days: int = 3) -> int:
    now = timezone.now()
    pending = (
        ReviewAssignment.objects.filter(
            status__in=[ReviewStatus.PENDING, ReviewStatus.DRAFT], case__status=CaseStatus.IN_REVIEW,
            case__campaign__review_deadline__gt=now,
            case__campaign__review_deadline__lte=now + timedelta(days=within_days),
            reviewer__is_active=True,
        )
        .select_related("reviewer", "case__campaign")
    )
    per_reviewer: dict[int, list[ReviewAssignment]] = defaultdict(list)
    for a in pending:
        per_reviewer[a.reviewer_id].append(a)
    sent = 0
    for items in per_reviewer.values():
        reviewer = items[0].reviewer
        if not reviewer.email:
            continue
        campaign = items[0].case.campaign
        deadline = date_format(timezone.localtime(campaign.review_deadline, campaign.tzinfo), "Y年n月j日 H:i")
        lines = "\n".join(f"· {a.case.title}" for a in items)
        body = _("%(name)s专家，您好：\n\n您还有 %(n)d 件案例的评审尚未提交，评审将于 %(deadline)s 截止：\n%(lines)s\n\n"
                 "请登录典型案例库完成评审：%(url)s/admin/\n") % {
            "name": reviewer.get_display_name(), "n": len(items), "deadline": deadline,
            "lines": lines, "url": settings.WAGTAILADMIN_BASE_URL,
        }
        send_mail(_("【典型案例库】评审提醒：%(n)d 件案例待评审") % {"n": len(items)}, body,
                  settings.DEFAULT_FROM_EMAIL, [reviewer.email])
        sent += 1
    return sent
