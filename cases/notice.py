"""公示 (public notice), objections (异议) and publication of a campaign's selected cases."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import effects, permissions, uploads, workflow
from .errors import Forbidden, GuardFailed, InvalidState, NotFound
from .models import Campaign, Case, Objection, ObjectionOutcome
from .models.cases import phone_validator
from .signals import objection_event
from .states import CaseStatus

logger = logging.getLogger(__name__)


def notice_window(campaign: Campaign, start: date | None = None) -> tuple[datetime, datetime]:
    """N calendar days from `start` (today), ending at 23:59:59 on the last day in the campaign's zone."""
    tz = campaign.tzinfo
    first = start or timezone.localdate(timezone=tz)
    starts = timezone.now() if start is None else datetime.combine(first, time.min, tzinfo=tz)
    last = first + timedelta(days=campaign.notice_days - 1)
    return starts, datetime.combine(last, time(23, 59, 59), tzinfo=tz)


@dataclass
class BatchReport:
    done: list[Case] = field(default_factory=list)
    refused: list[tuple[Case, str]] = field(default_factory=list)


def open_notice(*, campaign: Campaign, by, start: date | None = None) -> BatchReport:
    """Put every shortlisted case of the campaign into public notice, with one shared window."""
    if not permissions.is_staff_role(by):
        raise Forbidden(_("只有组织方可以开始公示。"))
    if start is not None and start < timezone.localdate(timezone=campaign.tzinfo):
        # A past start would shorten (or skip) the N days the public has to object.
        raise GuardFailed(_("公示开始日期不能早于今天。"))
    starts, ends = notice_window(campaign, start)
    report = BatchReport()
    cases = list(Case.objects.filter(campaign=campaign, status=CaseStatus.SHORTLISTED).order_by("pk"))
    if not cases:
        raise GuardFailed(_("该活动没有拟入选的案例，无需公示。"))
    result = workflow.transition_many(
        case_ids=[c.pk for c in cases], name="open_notice", by=by, notice_starts=starts, notice_ends=ends
    )
    report.done = result.done
    by_pk = {c.pk: c for c in cases}
    report.refused = [(by_pk[pk], msg) for pk, msg in result.refused]
    return report


def publish_batch(*, campaign: Campaign, by) -> BatchReport:
    """Publish every case whose notice is over and has no open objection; report the others."""
    if not permissions.is_staff_role(by):
        raise Forbidden(_("只有组织方可以发布案例。"))
    cases = {c.pk: c for c in Case.objects.filter(campaign=campaign, status=CaseStatus.IN_NOTICE).order_by("pk")}
    # Each case in its own transaction; their effects together at the end (one compilation build,
    # one indexing pass), not once per case.
    with effects.batched():
        result = workflow.transition_many(case_ids=list(cases), name="publish", by=by)
    return BatchReport(done=result.done, refused=[(cases[pk], msg) for pk, msg in result.refused])


def noticed_cases():
    """Cases the public may see on the notice pages only."""
    return Case.objects.filter(status=CaseStatus.IN_NOTICE).select_related("region", "province", "campaign", "tier")


def submit_objection(*, case_id: int, name: str, phone: str, email: str, reason: str, evidence=None) -> Objection:
    """Anyone may object, in their real name, while the case's notice runs."""
    case = Case.objects.filter(pk=case_id, status__in=[CaseStatus.IN_NOTICE, CaseStatus.PUBLISHED]).first()
    if case is None:
        raise NotFound(_("未找到该公示案例。"))
    if case.status != CaseStatus.IN_NOTICE or (case.notice_ends and timezone.now() > case.notice_ends):
        raise GuardFailed(_("该案例的公示期已结束，不再受理异议。"))
    errors: dict[str, list[str]] = {}
    name, phone, email, reason = (str(v or "").strip() for v in (name, phone, email, reason))
    if not name or len(name) > 50:
        errors["name"] = [_("请填写真实姓名（不超过 50 字）。")]
    try:
        phone_validator(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("请填写有效的电子邮箱，处理结果将发送到该邮箱。")]
    if len(reason) < 10 or len(reason) > 3000:
        errors["reason"] = [_("请写明异议理由和事实依据（10 至 3000 字）。")]
    if evidence is not None:
        try:
            uploads.check_document(evidence)
        except ValidationError as exc:
            errors["evidence"] = exc.messages
    if errors:
        raise ValidationError(errors)
    # A failure after the evidence file is stored rolls back the rows and deletes the file.
    with uploads.delete_on_failure() as stored, transaction.atomic():
        document = None
        if evidence is not None:
            from wagtail.documents import get_document_model

            evidence.name = uploads.generated_name(uploads.check_document(evidence))
            document = get_document_model()(title=_("异议证明材料"), file=evidence)
            stored.append(document.file)
            document.save()
        objection = Objection.objects.create(
            case=case, name=name, phone=phone, email=email, reason=reason, evidence=document
        )
        transaction.on_commit(lambda: _announce(objection, "received"))
    return objection


def rule_objection(*, objection_id: int, by, outcome: str, conclusion: str) -> Objection:
    """The secretariat's conclusion; an upheld objection disqualifies the case."""
    if not permissions.is_staff_role(by):
        raise Forbidden(_("只有组织方可以处理异议。"))
    if outcome not in (ObjectionOutcome.UPHELD, ObjectionOutcome.DISMISSED):
        raise GuardFailed(_("处理结果只能是“异议成立”或“异议不成立”。"))
    conclusion = (conclusion or "").strip()
    if not conclusion:
        raise GuardFailed(_("请填写核查结论。"))
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("case").filter(pk=objection_id).first()
        if objection is None:
            raise NotFound(_("未找到该异议。"))
        if objection.outcome != ObjectionOutcome.OPEN:
            raise InvalidState(_("该异议已处理。"))
        objection.outcome, objection.conclusion = outcome, conclusion
        objection.ruled_by, objection.ruled_at = by, timezone.now()
        objection.save()
        if outcome == ObjectionOutcome.UPHELD and objection.case.status == CaseStatus.IN_NOTICE:
            workflow.transition(
                case=objection.case_id, name="disqualify", by=by,
                reason=_("异议成立（%(ref)s）：%(conclusion)s") % {"ref": objection.reference, "conclusion": conclusion},
            )
        transaction.on_commit(lambda: _announce(objection, "ruled"))
    return objection


def _announce(objection: Objection, event: str) -> None:
    """After commit: listeners (notifications mails the objector) hear of it."""
    objection_event.send(sender=Objection, objection=objection, event=event)


def erase_expired_personal_data(*, now: datetime | None = None) -> int:
    """Objectors' personal data is kept for OBJECTION_RETENTION_DAYS after the ruling, then erased."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CASEBOOK["OBJECTION_RETENTION_DAYS"])
    expired = Objection.objects.filter(ruled_at__lt=cutoff, personal_data_erased_at__isnull=True)
    count = 0
    for objection in expired.select_related("evidence"):
        if objection.evidence:
            objection.evidence.delete()
        Objection.objects.filter(pk=objection.pk).update(
            name=_("（已删除）"), phone="", email="", evidence=None, personal_data_erased_at=now
        )
        count += 1
    return count
