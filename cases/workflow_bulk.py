"""The bulk path of the case lifecycle: many new cases along planned transitions, in few queries.

docs/domain.md §4 lets load generators use "a bulk path in that code, as long as it writes the same
audit records". Every planned step goes through what `workflow.transition` uses: the same specs
(role, required reason), the same django-fsm methods (so `submit` lands where the campaign says),
the same nomination bookkeeping (quota, ranks unique and contiguous, extra `rank`), and each step
writes the CaseTransition row `workflow._move` writes (transition, from, to, by, reason, extra).
Review assignments respect the pool, the load cap and the conflict rules of `review.assignment`,
scores are checked by `review.scoring`, and the last final score completes the review by itself.

Differences, by design: time is the plan's (`Step.at`), so a campaign of 2022 has a history in
2022; steps run in time order across all plans, as they would have one by one. No signal is sent
(no notification, e-mail, rendition or audit-log event: nobody performed these actions), and the
public index is updated once at the end through search's own bulk sync. Content checks that need
files (cover image, evidence) are not made: load data has no files.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import editing, nomination
from .bulk_insert import chunks, insert, insert_rows, plan_times
from .errors import GuardFailed
from .guards import deadline_for
from .models import (
    Case,
    CaseIndicator,
    CaseTransition,
    NominationLock,
    ReviewAssignment,
    ReviewerPoolMember,
    ReviewStatus,
)
from .review.assignment import ASSIGNABLE_STATES, conflict_reason
from .review.scoring import validate_scores
from .states import CaseStatus
from .validation import REQUIRED_TEXT
from .workflow import REASON_REQUIRED, SPECS, _extra, _fsm_method, _possible_from_state, _role_allows

AUTO_COMPLETE_REASON = "最后一份评分已提交，系统自动完成评审。"  # workflow.complete_review_automatically
TIER_STATES = (CaseStatus.SHORTLISTED, CaseStatus.IN_NOTICE, CaseStatus.PUBLISHED)
# Steps the bulk path can't take: they need objections or an import source it does not model.
UNSUPPORTED = frozenset({"disqualify", "import_published", "complete_review"})

Progress = Callable[[str, int, int], None]
RECORD_FIELDS = ("case_id", "transition", "from_state", "to_state", "by_id", "at", "reason", "extra")


class BulkPlanError(GuardFailed):
    """A plan the one-by-one path would refuse; nothing has been written."""


@dataclass
class Step:
    name: str  # "create" (first) or a name of workflow.SPECS
    by: object | None
    at: datetime
    reason: str = ""
    inputs: dict = field(default_factory=dict)


@dataclass
class Review:
    reviewer: object  # a reviewer with `region` loaded, in the campaign's pool
    assigned_at: datetime
    scores: dict = field(default_factory=dict)
    comment: str = ""
    final_at: datetime | None = None  # a final score, submitted then


@dataclass
class Plan:
    case: Case  # unsaved, in draft, with campaign (object), region (object), created_by and content
    steps: list[Step]
    indicators: list[dict] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)


@dataclass
class BulkResult:
    cases: int = 0
    transitions: int = 0
    indicators: int = 0
    reviews: int = 0
    published_ids: list[int] = field(default_factory=list)
    by_state: Counter = field(default_factory=Counter)


class _Run:
    """The in-memory simulation: plans validated and moved in time order before anything is written."""

    def __init__(self, plans: list[Plan]):
        self.plans = plans
        # Per plan its CaseTransition rows, as tuples in RECORD_FIELDS order (after case_id).
        self.records: list[list[tuple]] = [[] for _ in plans]
        self.assignments: list[list[ReviewAssignment]] = [[] for _ in plans]
        self.nominated: dict[tuple, list[Case]] = defaultdict(list)
        self.tier_taken: Counter = Counter()
        self.load: Counter = Counter()
        campaigns = {p.case.campaign.pk: p.case.campaign for p in plans}
        self.quotas: dict[tuple, int] = {}
        self.tiers = {cid: {t.code: t for t in c.tiers.all()} for cid, c in campaigns.items()}
        self.rubric = {cid: list(c.rubric.all()) for cid, c in campaigns.items()}
        self.pool = {
            (m.campaign_id, m.reviewer_id): m for m in ReviewerPoolMember.objects.filter(campaign_id__in=campaigns)
        }
        self.campaigns = campaigns
        self.has_categories = {cid: bool(c.categories.all()) for cid, c in campaigns.items()}

    def fail(self, index: int, message: str):
        case = self.plans[index].case
        raise BulkPlanError(_("第 %(n)d 个案例“%(title)s”：%(message)s") % {"n": index + 1, "title": case.title, "message": message})

    # --- the timeline ---------------------------------------------------------------------

    def events(self) -> Iterator[tuple[int, str, object]]:
        timeline = []
        for i, plan in enumerate(self.plans):
            own = [(s.at, "step", s) for s in plan.steps]
            own += [(r.assigned_at, "assign", r) for r in plan.reviews]
            own += [(r.final_at, "final", r) for r in plan.reviews if r.final_at is not None]
            own.sort(key=lambda e: e[0])  # stable: a step before a review event at the same moment
            timeline += [(at, i, seq, kind, item) for seq, (at, kind, item) in enumerate(own)]
        timeline.sort(key=lambda e: (e[0], e[1], e[2]))
        for _at, i, _seq, kind, item in timeline:
            yield i, kind, item

    def run(self) -> None:
        for i, plan in enumerate(self.plans):
            if not plan.steps or plan.steps[0].name != "create":
                self.fail(i, _("第一步必须是创建草稿。"))
            self._prepare(i, plan)
        for i, kind, item in self.events():
            if kind == "step":
                self._step(i, item)
            elif kind == "assign":
                self._assign(i, item)
            else:
                self._final(i, item)

    def _prepare(self, i: int, plan: Plan) -> None:
        case = plan.case
        region = case.region
        case.province_id = region.province_id or region.code
        case.prefecture_id = region.prefecture_id
        if case.status != CaseStatus.DRAFT or case.pk is not None:
            self.fail(i, _("只能批量创建新案例。"))
        if case.category_id and case.category.campaign_id != case.campaign_id:
            self.fail(i, _("该征集方向不属于本活动。"))
        try:
            case._bulk_indicators = editing.parse_indicators(plan.indicators)
        except ValidationError as exc:  # the same messages as an edit
            self.fail(i, "；".join(exc.messages))

    # --- steps ----------------------------------------------------------------------------

    def _step(self, i: int, step: Step) -> None:
        case = self.plans[i].case
        if step.name == "create":
            self._create(i, step)
            return
        spec = SPECS.get(step.name)
        if spec is None or step.name in UNSUPPORTED:
            self.fail(i, _("批量路径不支持“%(name)s”。") % {"name": step.name})
        if not _possible_from_state(case, step.name):
            self.fail(i, _("案例当前状态为“%(state)s”，不能执行“%(action)s”。")
                      % {"state": case.get_status_display(), "action": spec.label})
        if not _role_allows(spec, case, step.by):
            self.fail(i, _("您的角色无权对该案例执行“%(action)s”。") % {"action": spec.label})
        reason = (step.reason or "").strip()
        if spec.reason == REASON_REQUIRED and not reason:
            self.fail(i, _("请填写“%(action)s”的理由。") % {"action": spec.label})
        self._move(i, spec.name, by=step.by, at=step.at, reason=reason, inputs=dict(step.inputs))

    def _create(self, i: int, step: Step) -> None:
        from . import permissions

        case = self.plans[i].case
        campaign = case.campaign
        if not permissions.can_create_case(step.by, case.region) or case.created_by_id != step.by.pk:
            self.fail(i, _("您只能为本地区及下辖地区创建案例。"))
        if not campaign.submission_opens <= step.at <= campaign.submission_closes:
            self.fail(i, _("“%(campaign)s”当时不接受申报。") % {"campaign": campaign.title})
        case.created_at = case.updated_at = step.at
        self._record(i, "create", "", step.by, step.at, "", {})

    def _move(self, i: int, name: str, *, by, at: datetime, reason: str, inputs: dict) -> None:
        case = self.plans[i].case
        self._guard(i, name, at, inputs)
        from_state = case.status
        _fsm_method(case, name)()
        if name == "submit":
            case.submitted_at = at
        if case.status == CaseStatus.PUBLISHED and case.published_at is None:
            case.published_at = inputs.get("published_at") or at
        case.updated_at = at
        self._nomination(i, from_state, inputs)
        self._tiers(case, from_state)
        self._record(i, name, from_state, by, at, reason, _extra(inputs))

    def _record(self, i: int, name: str, from_state: str, by, at: datetime, reason: str, extra: dict) -> None:
        """`workflow._record`: the same row (an anonymous or missing actor is recorded as none)."""
        by_id = by.pk if getattr(by, "is_authenticated", False) else None
        self.records[i].append((name, from_state, self.plans[i].case.status, by_id, at, reason, extra))

    # --- what the guards check, in memory ------------------------------------------------

    def _guard(self, i: int, name: str, at: datetime, inputs: dict) -> None:
        case = self.plans[i].case
        if name == "submit":
            self._check_submission(i, at)
        elif name == "recommend":
            taken = self._check_quota(i)
            inputs["rank"] = nomination.parse_rank(inputs.get("rank"), upper=taken + 1)
        elif name == "reopen" and case.campaign.nomination_required:
            self._check_quota(i)
        elif name == "start_review":
            have = sum(1 for a in self.assignments[i] if a.assigned_at <= at)
            need = case.campaign.reviewers_per_case
            if have < need:
                self.fail(i, _("需要分配 %(need)d 位评审专家，目前只有 %(have)d 位。") % {"need": need, "have": have})
        elif name == "shortlist":
            tier = self.tiers[case.campaign_id].get(str(inputs.get("tier") or ""))
            if tier is None:
                self.fail(i, _("请选择入选等级。"))
            if self.tier_taken[tier.pk] >= tier.quota:
                self.fail(i, _("“%(tier)s”名额（%(quota)d）已满。") % {"tier": tier.title, "quota": tier.quota})
            case.tier = tier
            inputs["tier"] = tier.code
        elif name == "open_notice":
            starts, ends = inputs.get("notice_starts"), inputs.get("notice_ends")
            if not starts or not ends or ends <= starts:
                self.fail(i, _("请先设定公示的开始和结束时间。"))
            case.notice_starts, case.notice_ends = starts, ends
        elif name == "publish" and case.notice_ends and at <= case.notice_ends:
            self.fail(i, _("公示期结束后才能发布。"))

    def _check_submission(self, i: int, at: datetime) -> None:
        case = self.plans[i].case
        if not case.campaign.submission_opens <= at <= deadline_for(case):
            self.fail(i, _("“%(campaign)s”当时不在申报期内。") % {"campaign": case.campaign.title})
        missing = [str(label) for name, label in REQUIRED_TEXT.items() if not str(getattr(case, name) or "").strip()]
        if not case.period_start or not case.scenarios or not case.key_groups or not case._bulk_indicators:
            missing.append(_("实施时间、应用场景、重点群体或成效指标"))
        if case.category_id is None and self.has_categories[case.campaign_id]:
            missing.append(_("征集方向"))
        if missing:
            self.fail(i, _("案例内容尚不完整：") + "、".join(missing))

    def _key(self, case: Case) -> tuple:
        return case.campaign_id, case.province_id, case.category_id

    def _check_quota(self, i: int) -> int:
        case = self.plans[i].case
        key = self._key(case)
        taken = sum(1 for c in self.nominated[key] if c is not case)
        if key not in self.quotas:
            code = case.category.code if case.category_id else ""
            self.quotas[key] = case.campaign.quota_for(case.province_id, code)
        if taken >= self.quotas[key]:
            self.fail(i, _("%(province)s在该方向的推荐名额（%(quota)d）已用完。")
                      % {"province": case.region.province.name if case.region.province_id else case.region.name,
                         "quota": self.quotas[key]})
        return taken

    def _nomination(self, i: int, from_state: str, inputs: dict) -> None:
        """`workflow._nomination_effects`: places and ranks as cases enter and leave nominations."""
        case = self.plans[i].case
        counted_before = from_state in nomination.COUNTED_STATES
        counted_now = case.status in nomination.COUNTED_STATES and case.campaign.nomination_required
        ranked = self.nominated[self._key(case)]
        if counted_now and not counted_before:
            rank = inputs.get("rank") or len(ranked) + 1
            ranked.insert(rank - 1, case)
            _renumber(ranked)
            inputs["rank"] = case.nomination_rank
        elif counted_before and not counted_now:
            if case in ranked:
                ranked.remove(case)
            case.nomination_rank = None
            _renumber(ranked)

    def _tiers(self, case: Case, from_state: str) -> None:
        if case.tier_id is None:
            return
        self.tier_taken[case.tier_id] += (case.status in TIER_STATES) - (from_state in TIER_STATES)

    # --- reviews --------------------------------------------------------------------------

    def _assign(self, i: int, review: Review) -> None:
        case = self.plans[i].case
        campaign = case.campaign
        member = self.pool.get((campaign.pk, review.reviewer.pk))
        if member is None or not review.reviewer.is_active:
            self.fail(i, _("评审专家“%(name)s”不在本活动的专家库中。") % {"name": review.reviewer.username})
        if case.status not in ASSIGNABLE_STATES:
            self.fail(i, _("只有形式审查通过或评审中的案例可以分配评审专家。"))
        reason = conflict_reason(campaign, review.reviewer, case)
        if reason:
            self.fail(i, _("该专家需回避：%(reason)s。") % {"reason": reason})
        if any(a.reviewer_id == review.reviewer.pk for a in self.assignments[i]):
            self.fail(i, _("该专家已分配过此案例。"))
        if self.load[member.pk] >= member.load_cap:
            self.fail(i, _("评审专家“%(name)s”已达评审上限。") % {"name": review.reviewer.username})
        self.load[member.pk] += 1
        rubric = self.rubric[campaign.pk]
        try:
            clean = validate_scores(rubric, review.scores, final=review.final_at is not None)
        except GuardFailed as exc:
            self.fail(i, exc.message)
        complete = len(clean) == len(rubric)
        status = ReviewStatus.FINAL if review.final_at else ReviewStatus.DRAFT if clean else ReviewStatus.PENDING
        assignment = ReviewAssignment(
            reviewer=review.reviewer, status=ReviewStatus.PENDING, scores=clean, comment=review.comment,
            total=sum(clean.values()) if complete else None, assigned_at=review.assigned_at,
            updated_at=review.final_at or review.assigned_at, finalised_at=review.final_at,
        )
        if status == ReviewStatus.DRAFT:
            assignment.status = status  # final once its `final` event comes, in review
        self.assignments[i].append(assignment)

    def _final(self, i: int, review: Review) -> None:
        """`review.scoring.save_review(final=True)`; the last final score completes the review."""
        case = self.plans[i].case
        if case.status != CaseStatus.IN_REVIEW:
            self.fail(i, _("该案例当前不在专家评审阶段。"))
        assignment = next(a for a in self.assignments[i] if a.reviewer_id == review.reviewer.pk)
        assignment.status = ReviewStatus.FINAL
        if all(a.status == ReviewStatus.FINAL for a in self.assignments[i]):
            self._move(i, "complete_review", by=None, at=review.final_at, reason=_(AUTO_COMPLETE_REASON), inputs={})


def _renumber(ordered: list[Case]) -> None:
    for rank, case in enumerate(ordered, start=1):
        case.nomination_rank = rank


def create_many(plans: list[Plan], *, chunk: int = 2000, progress: Progress | None = None,
                index: bool = True) -> BulkResult:
    """Create the planned cases of campaigns that have none yet; all or nothing.

    Raises BulkPlanError (before writing anything) for a step the one-by-one path would refuse.
    The published cases are indexed after commit (`index=False`: the caller indexes
    `published_ids` itself, e.g. once after several calls).
    """
    progress = progress or (lambda *a: None)
    campaigns = {p.case.campaign.pk for p in plans}
    if Case.objects.filter(campaign_id__in=campaigns).exists():
        raise BulkPlanError(_("批量创建只用于尚无案例的征集活动。"))
    run = _Run(plans)
    run.run()
    result = BulkResult()
    cases = [p.case for p in plans]
    field = Case._meta.get_field
    times = (field("created_at"), field("updated_at"), CaseTransition._meta.get_field("at"),
             ReviewAssignment._meta.get_field("assigned_at"), ReviewAssignment._meta.get_field("updated_at"))
    with transaction.atomic(), plan_times(*times):
        for n, part in enumerate(chunks(cases, chunk)):
            insert(Case, part)
            progress("cases", min((n + 1) * chunk, len(cases)), len(cases))
        rows, indicators, assignments = [], [], []
        for case, records, reviews in zip(cases, run.records, run.assignments, strict=True):
            rows += [(case.pk, *record) for record in records]
            for order, indicator in enumerate(case._bulk_indicators):
                indicator.case_id, indicator.sort_order = case.pk, order
            indicators += case._bulk_indicators
            for assignment in reviews:
                assignment.case_id = case.pk
            assignments += reviews
        for n, part in enumerate(chunks(rows, chunk * 5)):
            insert_rows(CaseTransition, RECORD_FIELDS, part)
            progress("transitions", min((n + 1) * chunk * 5, len(rows)), len(rows))
        insert(CaseIndicator, indicators)
        insert(ReviewAssignment, assignments)
        NominationLock.objects.bulk_create(
            [NominationLock(campaign_id=c, province_id=p, category_code=_category_code(run, c, cat))
             for (c, p, cat) in run.nominated],
            ignore_conflicts=True,
        )
    result.cases, result.transitions = len(cases), len(rows)
    result.indicators, result.reviews = len(indicators), len(assignments)
    result.by_state = Counter(c.status for c in cases)
    result.published_ids = [c.pk for c in cases if c.status == CaseStatus.PUBLISHED]
    if index:
        transaction.on_commit(lambda: index_published(result.published_ids, progress))
    return result


def _category_code(run: _Run, campaign_id: int, category_id: int | None) -> str:
    if category_id is None:
        return ""
    return next(c.code for c in run.campaigns[campaign_id].categories.all() if c.pk == category_id)


def index_published(case_ids: list[int], progress: Progress | None = None, batch: int = 500) -> None:
    """The public index for these cases, through search's bulk sync (both backends), in batches."""
    from search.indexing import sync_cases

    for start in range(0, len(case_ids), batch):
        sync_cases(case_ids[start : start + batch])
        if progress:
            progress("index", min(start + batch, len(case_ids)), len(case_ids))


__all__ = ["BulkPlanError", "BulkResult", "Plan", "Review", "Step", "create_many", "index_published"]
