"""The case lifecycle: the one code path that creates cases and changes their state.

A transition runs in one transaction: lock the case row, check visibility, state, role and
guards, move the protected state, save, write the audit record, and queue the effects to run
after commit. The admin, the API, management commands and tests all call `transition()`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role

from . import guards, nomination, permissions
from .errors import Forbidden, GuardFailed, InvalidState, NotFound, WorkflowError
from .guards import deadline_for

# Callers use `workflow.<Error>` and `workflow.deadline_for`; they are part of this module's API.
__all__ = [
    "Forbidden", "GuardFailed", "InvalidState", "NotFound", "WorkflowError", "case_transitioned", "create_draft",
    "create_many",
    "deadline_for", "grant_extension", "import_published", "transition", "transition_many", "available_transitions",
]
from .models import Campaign, Case, CaseTransition, Region
from .states import CampaignStatus, CaseStatus

logger = logging.getLogger(__name__)

# Sent after commit for every transition: (sender=Case, case, record). Notifications and the
# search index listen here; nothing is sent for a rolled-back change.
case_transitioned = Signal()


STAFF = frozenset({Role.SECRETARIAT, Role.ADMIN})
REASON_REQUIRED, REASON_OPTIONAL, NO_REASON = "required", "optional", "none"


@dataclass(frozen=True)
class Spec:
    name: str
    label: str
    reason: str = NO_REASON
    # Which role may perform it from which source states: {role: states or None for all}.
    who: dict[str, frozenset[str] | None] = field(default_factory=dict)
    # guard(case, by, inputs) raises GuardFailed, and returns the names of extra fields it set.
    guard: Callable[..., list[str] | None] | None = None

    @property
    def requires_reason(self) -> bool:
        return self.reason == REASON_REQUIRED


def _staff() -> dict[str, None]:
    return dict.fromkeys(STAFF)


SPECS: dict[str, Spec] = {
    s.name: s
    for s in [
        Spec("submit", gettext_lazy("提交"), who={Role.SUBMITTER: None}, guard=guards.submit),
        Spec("withdraw", gettext_lazy("撤回"), REASON_REQUIRED, who={Role.SUBMITTER: None}),
        Spec("recommend", gettext_lazy("推荐"), who={Role.RECOMMENDER: None}, guard=guards.recommend),
        Spec("decline", gettext_lazy("不予推荐"), REASON_REQUIRED, who={Role.RECOMMENDER: None}),
        Spec(
            "return_for_revision",
            gettext_lazy("退回修改"),
            REASON_REQUIRED,
            who={
                Role.RECOMMENDER: frozenset({CaseStatus.SUBMITTED}),
                Role.SECRETARIAT: frozenset({CaseStatus.RECOMMENDED}),
                Role.ADMIN: frozenset({CaseStatus.RECOMMENDED}),
            },
        ),
        Spec("pass_check", gettext_lazy("形式审查通过"), who=_staff()),
        Spec("fail_check", gettext_lazy("形式审查不通过"), REASON_REQUIRED, who=_staff()),
        Spec("start_review", gettext_lazy("开始专家评审"), who=_staff(), guard=guards.start_review),
        Spec("complete_review", gettext_lazy("完成评审"), who=_staff(), guard=guards.complete_review),
        Spec("shortlist", gettext_lazy("拟入选"), who=_staff(), guard=guards.shortlist),
        Spec("not_select", gettext_lazy("未入选"), REASON_OPTIONAL, who=_staff()),
        Spec("open_notice", gettext_lazy("开始公示"), who=_staff(), guard=guards.open_notice),
        Spec("publish", gettext_lazy("发布"), who=_staff(), guard=guards.publish),
        Spec("disqualify", gettext_lazy("取消入选"), REASON_REQUIRED, who=_staff(), guard=guards.disqualify),
        Spec("revoke", gettext_lazy("撤销发布"), REASON_REQUIRED, who=_staff()),
        Spec("reopen", gettext_lazy("恢复为已推荐"), REASON_REQUIRED, who=_staff(), guard=guards.reopen),
        Spec("reconsider", gettext_lazy("重新考虑"), REASON_REQUIRED, who=_staff()),
        Spec("import_published", gettext_lazy("导入"), who=_staff(), guard=guards.import_published),
    ]
}
# Transitions that a person starts on an existing case (import creates its case).
CASE_TRANSITIONS = [name for name in SPECS if name != "import_published"]


def _fsm_method(case: Case, name: str):
    return getattr(case, name)


def _possible_from_state(case: Case, name: str) -> bool:
    from django_fsm import can_proceed

    return can_proceed(_fsm_method(case, name), check_conditions=False)


def _role_allows(spec: Spec, case: Case, user) -> bool:
    role = permissions.role_of(user)
    if role not in spec.who:
        return False
    states = spec.who[role]
    if states is not None and case.status not in states:
        return False
    if role == Role.SUBMITTER:
        return permissions.region_in_scope(user, case.region)
    if role == Role.RECOMMENDER:
        return user.region is not None and case.province_id == user.region.code
    return True


def available_transitions(case: Case, user) -> list[Spec]:
    """Exactly the transitions `user` may perform on `case` now (guards aside)."""
    return [
        SPECS[name]
        for name in CASE_TRANSITIONS
        if _possible_from_state(case, name) and _role_allows(SPECS[name], case, user)
    ]


def _record(case: Case, *, name: str, from_state: str, by, reason: str, extra: dict) -> CaseTransition:
    record = CaseTransition.objects.create(
        case=case, transition=name, from_state=from_state, to_state=case.status,
        by=by if getattr(by, "is_authenticated", False) else None, reason=reason, extra=extra,
    )
    transaction.on_commit(lambda: case_transitioned.send(sender=Case, case=case, record=record))
    return record


def _move(case: Case, spec: Spec, *, by, reason: str, inputs: dict) -> Case:
    """Checks already passed: run the guard, move the state, save, audit."""
    updates = ["status", "updated_at"]
    if spec.guard:
        updates += spec.guard(case, by, inputs) or []
    from_state = case.status
    _fsm_method(case, spec.name)()
    now = timezone.now()
    if spec.name == "submit":
        case.submitted_at = now
        updates.append("submitted_at")
    if case.status == CaseStatus.PUBLISHED and case.published_at is None:
        case.published_at = inputs.get("published_at") or now
        updates.append("published_at")
    if case.pk is None:
        case.save()
    else:
        case.save(update_fields=updates)
    _nomination_effects(case, spec, from_state, inputs)
    _record(case, name=spec.name, from_state=from_state, by=by, reason=reason, extra=_extra(inputs))
    return case


def _nomination_effects(case: Case, spec: Spec, from_state: str, inputs: dict) -> None:
    """Keep ranks unique and contiguous as cases enter and leave a province's nominations."""
    if spec.name == "import_published":
        return
    counted_before = from_state in nomination.COUNTED_STATES
    counted_now = case.status in nomination.COUNTED_STATES and case.campaign.nomination_required
    if counted_now and not counted_before and case.pk:
        nomination.place(case, inputs.get("rank") or nomination.nominated(case).count())
        inputs["rank"] = case.nomination_rank
    elif counted_before and not counted_now:
        nomination.lock_quota(case)
        nomination.compact(case)


def _extra(inputs: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in inputs.items() if v not in (None, "")}


def transition(
    *, case: Case | int, name: str, by, reason: str = "", expected_status: str | None = None, **inputs
) -> Case:
    """Perform transition `name` on a case, or raise a WorkflowError explaining why not."""
    spec = SPECS.get(name)
    if spec is None or name == "import_published":
        raise NotFound(_("没有名为“%(name)s”的操作。") % {"name": name})
    reason = (reason or "").strip()
    case_id = case.pk if isinstance(case, Case) else case
    with transaction.atomic():
        locked = (
            permissions.visible_cases(by)
            .select_for_update(of=("self",))
            .select_related("campaign", "region")
            .filter(pk=case_id)
            .first()
        )
        if locked is None:
            raise NotFound(_("未找到该案例，或您无权查看。"))
        if expected_status and locked.status != expected_status:
            raise InvalidState(
                _("案例状态已变为“%(now)s”，请刷新后重试。") % {"now": locked.get_status_display()}
            )
        if not _possible_from_state(locked, name):
            raise InvalidState(
                _("案例当前状态为“%(state)s”，不能执行“%(action)s”。")
                % {"state": locked.get_status_display(), "action": spec.label}
            )
        if not _role_allows(spec, locked, by):
            raise Forbidden(_("您的角色无权对该案例执行“%(action)s”。") % {"action": spec.label})
        if spec.reason == REASON_REQUIRED and not reason:
            raise GuardFailed(_("请填写“%(action)s”的理由。") % {"action": spec.label})
        return _move(locked, spec, by=by, reason=reason, inputs=inputs)


def complete_review_automatically(case: Case) -> Case | None:
    """When the last assigned score is final the case moves on by itself (audited with no actor)."""
    locked = Case.objects.select_for_update().select_related("campaign").filter(pk=case.pk).first()
    if locked is None or locked.status != CaseStatus.IN_REVIEW:
        return None
    try:
        guards.complete_review(locked, None, {})
    except GuardFailed:
        return None
    return _move(
        locked, SPECS["complete_review"], by=None, reason=_("最后一份评分已提交，系统自动完成评审。"), inputs={}
    )


# --- creation --------------------------------------------------------------------------


def create_draft(*, by, campaign: Campaign, title: str, region: Region, **fields) -> Case:
    """A new draft in the submitter's scope; everything but campaign, title and region may wait."""
    if not permissions.can_create_case(by, region):
        raise Forbidden(_("您只能为本地区及下辖地区创建案例。"))
    if campaign.status != CampaignStatus.OPEN:
        raise GuardFailed(_("“%(campaign)s”当前不接受申报。") % {"campaign": campaign.title})
    indicators = fields.pop("indicators", None)
    with transaction.atomic():
        from .editing import replace_indicators, validate_case_fields

        case = Case(campaign=campaign, title=title, region=region, created_by=by, **fields)
        # The same checks as an edit (period order, category of this campaign), not only the model's.
        validate_case_fields(case, by)
        case.save()
        if indicators:
            replace_indicators(case, indicators)
        _record(case, name="create", from_state="", by=by, reason="", extra={})
    return case


def import_published(*, by, campaign: Campaign, source: str, published_at=None, tier=None, **fields) -> Case:
    """A past selected case entering as published, with "导入" and its source in its history."""
    if permissions.role_of(by) not in STAFF:
        raise Forbidden(_("只有组织方可以导入案例。"))
    indicators = fields.pop("indicators", None)
    with transaction.atomic():
        case = Case(campaign=campaign, created_by=by, tier=tier, **fields)
        case.full_clean()
        _move(
            case, SPECS["import_published"], by=by, reason=_("导入：%(source)s") % {"source": source},
            inputs={"source": source, "published_at": published_at},
        )
        if indicators:
            from .editing import replace_indicators

            replace_indicators(case, indicators)
    return case


def history(case: Case) -> list[CaseTransition]:
    return list(case.history.select_related("by"))


def grant_extension(*, case: Case | int, by, deadline: datetime, reason: str = "") -> Case:
    """The secretariat moves one case's own deadline; recorded in its history."""
    if permissions.role_of(by) not in STAFF:
        raise Forbidden(_("只有组织方可以批准延期。"))
    case_id = case.pk if isinstance(case, Case) else case
    with transaction.atomic():
        locked = Case.objects.select_for_update().filter(pk=case_id).first()
        if locked is None:
            raise NotFound(_("未找到该案例。"))
        if locked.status not in (CaseStatus.DRAFT, CaseStatus.RETURNED):
            raise InvalidState(_("只有草稿或退回修改的案例可以延期。"))
        if deadline <= timezone.now():
            raise GuardFailed(_("新的截止时间必须晚于现在。"))
        locked.deadline_extension = deadline
        locked.save(update_fields=["deadline_extension", "updated_at"])
        _record(locked, name="extend_deadline", from_state=locked.status, by=by, reason=reason,
                extra={"deadline": deadline.isoformat()})
    return locked


@dataclass
class BatchResult:
    done: list[Case] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def transition_many(*, case_ids: list[int], name: str, by, reason: str = "", **inputs) -> BatchResult:
    """The same transition on several cases (e.g. passing the formal check for a batch).

    Each case succeeds or fails on its own (its own transaction), and every refusal says why.
    """
    result = BatchResult()
    for case_id in dict.fromkeys(case_ids):
        try:
            result.done.append(transition(case=case_id, name=name, by=by, reason=reason, **inputs))
        except WorkflowError as exc:
            result.refused.append((case_id, exc.message))
    return result


def create_many(plans, **options):
    """Many new cases along planned transitions at once (load data): see `cases.workflow_bulk`."""
    from .workflow_bulk import create_many as bulk

    return bulk(plans, **options)
