"""The rulebook of the lifecycle: every transition's spec, the checks before it, and the step.

Three paths move cases: `workflow.transition` (one case, under its row lock), the bulk path of
load data (`workflow_bulk`, many planned cases in memory) and the import (`workflow.import_published`,
`workflow_import`). They differ only in where the facts come from and how rows are written; what
is allowed, in which order it is checked, every refusal's message and the audit record are
decided here, once:

- `refusal(case, name, by=..., reason=...)`: the state (409), the role (403) and the reason (400),
  in that order, as the error to raise, or None;
- `apply(case, spec, ...)`: the guard over the path's facts (400), the django-fsm move, the
  timestamps, the path's own bookkeeping (`settle`: save, ranks), and the `CaseTransition`
  record, built but not saved.

docs/lifecycle.md lists the files that adding a guarded transition touches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from accounts.roles import Role

from . import guards, permissions
from .errors import Forbidden, GuardFailed, InvalidState, NotFound, WorkflowError
from .models import Case, CaseTransition
from .states import CaseStatus

STAFF = frozenset({Role.SECRETARIAT, Role.ADMIN})
REASON_REQUIRED, REASON_OPTIONAL, NO_REASON = "required", "optional", "none"


@dataclass(frozen=True)
class Spec:
    name: str
    label: str
    reason: str = NO_REASON
    # Which role may perform it from which source states: {role: states or None for all}.
    who: dict[str, frozenset[str] | None] = field(default_factory=dict)
    # guard(case, facts, inputs) raises GuardFailed, and returns the names of extra fields it set.
    guard: guards.Guard | None = None

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
IMPORT = "import_published"
# Transitions that a person starts on an existing case (import creates its case).
CASE_TRANSITIONS = [name for name in SPECS if name != IMPORT]
# The reason recorded when the last final score completes a review by itself (no actor).
AUTO_COMPLETE_REASON = gettext_lazy("最后一份评分已提交，系统自动完成评审。")


def import_reason(source: str) -> str:
    return _("导入：%(source)s") % {"source": source}


def possible_from_state(case: Case, name: str) -> bool:
    """The state graph (`models/lifecycle.py`) allows `name` from the case's state."""
    return can_proceed(getattr(case, name), check_conditions=False)


def role_allows(spec: Spec, case: Case, user) -> bool:
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


def available(case: Case, user) -> list[Spec]:
    """Exactly the transitions `user` may perform on `case` now (guards aside)."""
    return [
        SPECS[name] for name in CASE_TRANSITIONS
        if possible_from_state(case, name) and role_allows(SPECS[name], case, user)
    ]


def spec_for(name: str) -> Spec:
    """The spec of a transition a person may start on a case, or NotFound (404)."""
    spec = SPECS.get(name)
    if spec is None or name == IMPORT:
        raise NotFound(_("没有名为“%(name)s”的操作。") % {"name": name})
    return spec


def stale(case: Case) -> InvalidState:
    """`expected_status` did not match: someone else moved the case first."""
    return InvalidState(_("案例状态已变为“%(now)s”，请刷新后重试。") % {"now": case.get_status_display()})


def refusal(case: Case, spec: Spec, *, by, reason: str) -> WorkflowError | None:
    """Why `by` may not start `spec` on `case` now (state, then role, then reason), or None."""
    if not possible_from_state(case, spec.name):
        return InvalidState(
            _("案例当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {"state": case.get_status_display(), "action": spec.label}
        )
    if not role_allows(spec, case, by):
        return Forbidden(_("您的角色无权对该案例执行“%(action)s”。") % {"action": spec.label})
    if spec.reason == REASON_REQUIRED and not reason:
        return GuardFailed(_("请填写“%(action)s”的理由。") % {"action": spec.label})
    return None


def check_creator(by, region) -> None:
    """A new case is created by a submitter, in its own scope (the one-by-one and bulk paths)."""
    if not permissions.can_create_case(by, region):
        raise Forbidden(_("您只能为本地区及下辖地区创建案例。"))


def check_importer(by) -> None:
    """Only the secretariat imports past results (the `import_published` spec's `who`)."""
    if permissions.role_of(by) not in SPECS[IMPORT].who:
        raise Forbidden(_("只有组织方可以导入案例。"))


def extra_of(inputs: dict) -> dict:
    """The record's `extra`: the transition's inputs that were given, as JSON values."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in inputs.items() if v not in (None, "")}


def record(case: Case, *, name: str, from_state: str, by, reason: str, extra: dict,
           at: datetime | None = None) -> CaseTransition:
    """The audit row of one event on `case` (unsaved; an anonymous or missing actor is none)."""
    row = CaseTransition(
        case=case, transition=name, from_state=from_state, to_state=case.status,
        by=by if getattr(by, "is_authenticated", False) else None, reason=reason, extra=extra,
    )
    if at is not None:
        row.at = at
    return row


# settle(case, from_state, inputs, updated_fields): the path's own bookkeeping after the move.
Settle = Callable[[Case, str, dict, list[str]], None]


def apply(case: Case, spec: Spec, *, by, at: datetime, reason: str, inputs: dict, facts: guards.Facts,
          settle: Settle | None = None) -> CaseTransition:
    """Run the guard over `facts`, move the state, stamp it, settle, and build the record.

    The checks of `refusal` have passed. `inputs` may be completed by the guard (the rank a
    nomination got, the tier's code) and by `settle`; the record's `extra` is what they hold then.
    """
    updates = ["status", "updated_at"]
    if spec.guard:
        updates += spec.guard(case, facts, inputs) or []
    from_state = case.status
    getattr(case, spec.name)()  # the django-fsm method: the only way the state moves
    if spec.name == "submit":
        case.submitted_at = at
        updates.append("submitted_at")
    if case.status == CaseStatus.PUBLISHED and case.published_at is None:
        case.published_at = inputs.get("published_at") or at
        updates.append("published_at")
    if settle:
        settle(case, from_state, inputs, updates)
    return record(case, name=spec.name, from_state=from_state, by=by, reason=reason, extra=extra_of(inputs), at=at)
