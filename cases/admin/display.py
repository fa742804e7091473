"""What the admin pages show about a case or campaign: labels, deadlines, history entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import case_fields, permissions, workflow, worklists
from ..models import Case
from ..states import CaseStatus
from ..validation import submission_problems

EXTRA_ACTION_LABELS = {
    "create": "创建草稿",
    "extend_deadline": "延长截止时间",
    "import_published": "导入",
}


def local_deadline(case: Case) -> datetime:
    """The case's deadline (campaign's, or its own extension) in the campaign's time zone."""
    return timezone.localtime(workflow.deadline_for(case), case.campaign.tzinfo)


def campaign_deadlines() -> list[dict[str, Any]]:
    """Each open campaign with its submission deadline in its own time zone (Asia/Shanghai)."""
    return [{"campaign": d.campaign, "closes": d.at, "days_left": d.days_left, "passed": d.passed}
            for d in worklists.submission_deadlines()]


def state_label(code: str) -> str:
    if not code:
        return ""
    try:
        return str(CaseStatus(code).label)
    except ValueError:
        return code


def action_label(name: str) -> str:
    spec = workflow.SPECS.get(name)
    if spec is not None:
        return str(spec.label)
    return _(EXTRA_ACTION_LABELS.get(name, name))


def person(user) -> str:
    """Who did it, as people say it: the name, else the organisation, else the account name."""
    if not user:
        return _("系统")
    return user.get_full_name() or user.organisation or user.get_username()


def reviewer_label(user) -> str:
    """A reviewer as the pool and assignment pages list them: name (account) · region · organisation,
    what the secretariat needs to tell reviewers apart and to see the 回避 rules coming."""
    region = user.region.full_name if user.region_id else _("未设地区")
    org = f" · {user.organisation}" if user.organisation else ""
    return f"{user.get_display_name()}（{user.username}） · {region}{org}"


def history_entries(case: Case, *, show_people: bool = True) -> list[dict[str, Any]]:
    return [
        {
            "record": r,
            "action": action_label(r.transition),
            "from_label": state_label(r.from_state),
            "to_label": state_label(r.to_state),
            "by": person(r.by) if show_people else "",
        }
        for r in workflow.history(case)
    ]


def latest_return(case: Case) -> dict[str, Any] | None:
    """Why a returned case came back (the latest 退回修改 record): reason, who and when."""
    if case.status != CaseStatus.RETURNED:
        return None
    record = case.history.filter(transition="return_for_revision").select_related("by").order_by("at", "pk").last()
    if record is None:
        return None
    return {
        "reason": record.reason,
        "by": person(record.by),
        "at": timezone.localtime(record.at, case.campaign.tzinfo),
    }


def _shown(case: Case, name: str) -> str:
    """A declared field's value in words (a code's label), "—" when empty."""
    if case_fields.get(name).codes:
        return case_fields.code_labels(case, name) or "—"
    return getattr(case, name) or "—"


def basic_fields(case: Case, *, show_organisation: bool = True) -> list[tuple[str, Any]]:
    """Labels are the model's (cases/case_fields.py); the period is composed of two fields."""
    label = case_fields.label
    period = "—"
    if case.period_start:
        end = case.period_end.isoformat() if case.period_end else _("至今")
        period = f"{case.period_start.isoformat()} — {end}"
    organisation = [(label(name), _shown(case, name)) for name in ("organisation", "organisation_type")]
    return [
        (label("campaign"), case.campaign.title),
        (label("category"), case.category.title if case.category_id else "—"),
        (label("region"), case.region.full_name),
        *(organisation if show_organisation else []),
        (_("实施时间"), period),
        *((label(name), _shown(case, name)) for name in ("scenarios", "task_area", "key_groups", "special_project")),
    ]


BODY_FIELDS = case_fields.BODY


def case_detail_context(case: Case, user) -> dict[str, Any]:
    images = [img for img in case.images.select_related("case", "image") if permissions.can_view_image(user, img)]
    # Where the campaign hides the organisation from reviewers, the timeline's names would give it away.
    show_organisation = permissions.can_view_organisation(user, case)
    context: dict[str, Any] = {
        "case": case,
        "status_label": case.get_status_display(),
        "basic_fields": basic_fields(case, show_organisation=show_organisation),
        "body": [(Case._meta.get_field(f).verbose_name, getattr(case, f)) for f in BODY_FIELDS],
        "indicators": list(case.indicators.all()),
        "images": images,
        "attachments": list(permissions.visible_attachments(user, case)),
        "show_contacts": permissions.can_view_contacts(user, case),
        "history": history_entries(case, show_people=show_organisation),
        "deadline": local_deadline(case),
        "returned": latest_return(case),
        "can_print": permissions.can_print_application(user, case),
        "can_extend": permissions.can_grant_extension(user, case),
    }
    context["show_problems"] = permissions.can_edit_case(user, case)
    if context["show_problems"]:
        context["problems"] = submission_problems(case)
    return context

