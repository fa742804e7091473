"""Scoring against the campaign's rubric; a final score can't change; the last one completes the review."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import GuardFailed, InvalidState, NotFound
from ..models import ReviewAssignment, ReviewStatus
from ..states import CaseStatus
from ..workflow import complete_review_automatically


def validate_scores(rubric, scores, *, final: bool) -> dict[str, int]:
    if not isinstance(scores, dict):
        raise GuardFailed(_("评分格式不正确，应为“评分项代码: 分数”。"))
    criteria = {c.code: c for c in rubric}
    unknown = [k for k in scores if k not in criteria]
    if unknown:
        raise GuardFailed(_("未知的评分项：%(codes)s。") % {"codes": "、".join(map(str, unknown))})
    clean: dict[str, int] = {}
    for code, raw in scores.items():
        if raw in (None, ""):
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise GuardFailed(_("“%(name)s”的分数必须是整数。") % {"name": criteria[code].name})
        try:
            value = int(raw) if not isinstance(raw, float) or raw.is_integer() else None
        except ValueError:
            value = None
        if value is None:
            raise GuardFailed(_("“%(name)s”的分数必须是整数。") % {"name": criteria[code].name})
        if not 0 <= value <= criteria[code].max_score:
            raise GuardFailed(
                _("“%(name)s”的分数须在 0 到 %(max)d 之间。") % {"name": criteria[code].name, "max": criteria[code].max_score}
            )
        clean[code] = value
    if final:
        missing = [criteria[c].name for c in criteria if c not in clean]
        if missing:
            raise GuardFailed(_("提交前请为以下各项打分：%(names)s。") % {"names": "、".join(missing)})
    return clean


def save_review(*, assignment_id: int, by, scores: dict, comment: str = "", final: bool = False) -> ReviewAssignment:
    with transaction.atomic():
        assignment = (
            ReviewAssignment.objects.select_for_update().select_related("case__campaign")
            .filter(pk=assignment_id, reviewer=by).first()
        )
        if assignment is None:
            raise NotFound(_("未找到该评审任务。"))
        if assignment.status == ReviewStatus.FINAL:
            raise InvalidState(_("评分已提交，不能再修改。"))
        if assignment.status == ReviewStatus.CONFLICT:
            raise InvalidState(_("您已声明回避此案例。"))
        case = assignment.case
        check_in_review(case)
        comment = (comment or "").strip()
        if len(comment) > 3000:
            raise GuardFailed(_("评审意见不能超过 3000 字。"))
        rubric = list(case.campaign.rubric.all())
        clean = validate_scores(rubric, scores, final=final)
        assignment.scores = clean
        assignment.comment = comment
        complete = len(clean) == len(rubric)
        assignment.total = sum(clean.values()) if complete else None
        assignment.status = ReviewStatus.FINAL if final else ReviewStatus.DRAFT
        assignment.finalised_at = timezone.now() if final else None
        assignment.save()
        if final:
            complete_review_automatically(case)
    return assignment


def check_in_review(case) -> None:
    """Scores are taken while the case is in review only (the bulk path asks the same)."""
    if case.status != CaseStatus.IN_REVIEW:
        raise InvalidState(_("该案例当前不在专家评审阶段。"))
