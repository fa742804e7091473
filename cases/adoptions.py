"""Reporting and moderating adoptions of published cases (docs/domain.md §4, 借鉴推广)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from accounts.roles import Role
from audit.actions import ADOPTION_HIDDEN, ADOPTION_UNHIDDEN
from security import ratelimit

from . import permissions
from .errors import Forbidden, GuardFailed, InvalidState, NotFound, TooMany
from .models import Adoption, Case
from .states import CaseStatus


def can_report_adoption(user, case: Case) -> bool:
    """Signed-in submitters and recommenders of another region may report; not for their own case."""
    role = permissions.role_of(user)
    if role not in (Role.SUBMITTER, Role.RECOMMENDER) or user.region is None:
        return False
    return case.status == CaseStatus.PUBLISHED and not permissions.region_in_scope(user, case.region)


def report_adoption(*, case_id: int, by, since, summary: str, results: str = "") -> Adoption:
    """Report, or as its author correct, a region's adoption of a published case.

    One live report per (case, reporting region): a second report from the region updates the
    author's own, and is refused (409) for anyone else of the region. Each account may send
    ACCOUNT_RATE_LIMITS["adoption_reports"] reports per window (429 past it). The secretariat can
    hide a report (`hide_adoption`); the region may then report again.
    """
    with transaction.atomic():
        # The case row lock serialises reports on one case (SQLite: the IMMEDIATE write lock).
        case = (Case.objects.select_for_update(of=("self",)).filter(pk=case_id, status=CaseStatus.PUBLISHED)
                .select_related("region").first())
        if case is None:
            raise NotFound(_("未找到该已发布案例。"))
        return _report(case, by, since, summary, results)


def _report(case: Case, by, since, summary: str, results: str) -> Adoption:
    if permissions.role_of(by) not in (Role.SUBMITTER, Role.RECOMMENDER) or by.region is None:
        raise Forbidden(_("只有申报单位和推荐单位可以报告借鉴推广情况。"))
    if permissions.region_in_scope(by, case.region):
        raise GuardFailed(_("这是本地区的案例，请报告其他地区案例的借鉴情况。"))
    errors: dict[str, list[str]] = {}
    summary, results = (summary or "").strip(), (results or "").strip()
    if isinstance(since, str):
        try:
            since = date.fromisoformat(since)
        except ValueError:
            since = None
    if not isinstance(since, date):
        errors["since"] = [_("请填写开始借鉴的日期（如 2026-03-01）。")]
    elif since > timezone.localdate():
        errors["since"] = [_("开始借鉴的日期不能晚于今天。")]
    if not 10 <= len(summary) <= 1000:
        errors["summary"] = [_("请用 10 至 1000 字说明借鉴了哪些做法。")]
    if len(results) > 1000:
        errors["results"] = [_("取得成效不能超过 1000 字。")]
    if errors:
        raise ValidationError(errors)
    existing = Adoption.objects.filter(case=case, region=by.region, hidden=False).first()
    if existing is not None and existing.reported_by_id != by.pk:
        raise InvalidState(_("本地区已报告过该案例的借鉴情况，只有报告人可以修改。"))
    verdict = ratelimit.hit_account("adoption_reports", str(by.pk))
    if verdict is not None and not verdict.allowed:
        raise TooMany(_("借鉴报告提交过于频繁，请明天再试。"))
    if existing is not None:
        existing.since, existing.summary, existing.results = since, summary, results
        existing.save(update_fields=["since", "summary", "results"])
        return existing
    return Adoption.objects.create(case=case, region=by.region, reported_by=by, since=since, summary=summary, results=results)


def hide_adoption(*, adoption_id: int, by, reason: str) -> Adoption:
    """Hide a report from the public (spam, untrue, duplicate): the secretariat only, with a reason.

    The reason stays on the report and in the audit log; saving renews the case page's cache token
    (website/case_page.py), so the public page and the API drop the report at once.
    """
    if not permissions.is_staff_role(by):
        raise Forbidden(_("只有组织方可以隐藏借鉴报告。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写隐藏原因。")]})
    if len(reason) > 200:
        raise ValidationError({"reason": [_("隐藏原因不能超过 200 字。")]})
    with transaction.atomic():
        adoption = _locked(adoption_id)
        if adoption.hidden:
            raise InvalidState(_("该借鉴报告已隐藏。"))
        adoption.hidden, adoption.hidden_reason = True, reason
        adoption.save(update_fields=["hidden", "hidden_reason"])
        audit.record(ADOPTION_HIDDEN, user=by, obj=adoption, details={"case": adoption.case_id, "reason": reason})
    return adoption


def unhide_adoption(*, adoption_id: int, by) -> Adoption:
    """Show a hidden report again (恢复公开). Refused while the region has another live report on the
    case: one live report per case and region (the database constraint says so too)."""
    if not permissions.is_staff_role(by):
        raise Forbidden(_("只有组织方可以恢复借鉴报告。"))
    with transaction.atomic():
        adoption = _locked(adoption_id)
        if not adoption.hidden:
            raise InvalidState(_("该借鉴报告已是公开状态。"))
        if Adoption.objects.filter(case_id=adoption.case_id, region_id=adoption.region_id, hidden=False).exists():
            raise InvalidState(_("该地区已重新报告了这个案例的借鉴情况，不能再恢复这份旧报告。"))
        adoption.hidden, adoption.hidden_reason = False, ""
        adoption.save(update_fields=["hidden", "hidden_reason"])
        audit.record(ADOPTION_UNHIDDEN, user=by, obj=adoption, details={"case": adoption.case_id})
    return adoption


def _locked(adoption_id: int) -> Adoption:
    adoption = Adoption.objects.select_for_update().filter(pk=adoption_id).first()
    if adoption is None:
        raise NotFound(_("未找到该借鉴报告。"))
    return adoption


def public_adoptions(case: Case) -> QuerySet[Adoption]:
    return case.adoptions.filter(hidden=False).select_related("region__province")
