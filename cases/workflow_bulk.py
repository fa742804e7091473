"""The bulk path of the case lifecycle: many new cases along planned transitions, in few queries.

docs/domain.md §4 lets load generators use "a bulk path in that code, as long as it writes the same
audit records". Every planned step takes what `workflow.transition` takes: the rulebook's checks
(`transitions.refusal`: state, role, reason) and its step (`transitions.apply`: the guard, the
django-fsm move, the CaseTransition record). Only the facts differ in origin: the guards ask this
batch (`_BatchFacts`), whose quotas, tiers, assignments and tallies are read once for the batch
and kept in memory as the plans move, instead of the database under a row lock; and the
nomination bookkeeping (ranks unique and contiguous, the `rank` in `extra`) is done in memory.
Review assignments respect the pool, the load cap and the conflict rules of `review.assignment`,
scores are checked by `review.scoring`, and the last final score completes the review by itself.

Differences, by design: time is the plan's (`Step.at`), so a campaign of 2022 has a history in
2022, and the campaign counts as taking submissions inside its window whatever its state today;
steps run in time order across all plans, as they would have one by one. No signal is sent
(no notification, e-mail, rendition or audit-log event: nobody performed these actions), and the
public index is updated once at the end through search's own bulk sync. Content checks that need
files (cover image, evidence) are not made: load data has no files. Plans carry no objections,
so a batch knows of none (`publish` is never held back, `disqualify` is refused by its guard).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import editing, extensions, nomination, transitions
from .bulk_insert import chunks, insert, insert_rows, plan_times
from .bulk_plans import BulkPlanError, BulkResult, Plan, Review, Step
from .errors import GuardFailed, WorkflowError
from .models import (
    Case,
    CaseIndicator,
    CaseTransition,
    NominationLock,
    ReviewAssignment,
    ReviewerPoolMember,
    ReviewStatus,
    Tier,
)
from .review.assignment import already_assigned, check_assignable
from .review.scoring import check_in_review, validate_scores
from .states import TIER_HOLDING_STATES, CaseStatus
from .validation import content_problems

# Steps the bulk path can't take: an import creates its case (`workflow_import`).
UNSUPPORTED = frozenset({transitions.IMPORT})

Progress = Callable[[str, int, int], None]
RECORD_FIELDS = ("case_id", "transition", "from_state", "to_state", "by_id", "at", "reason", "extra")


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

    def fail(self, index: int, message: str, status: int = 400):
        case = self.plans[index].case
        raise BulkPlanError(
            _("第 %(n)d 个案例“%(title)s”：%(message)s") % {"n": index + 1, "title": case.title, "message": message},
            index=index, reason=str(message), refusal_status=status,
        )

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
        case.province_id = region.province_code
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
        spec = transitions.SPECS.get(step.name)
        if spec is None or step.name in UNSUPPORTED:
            self.fail(i, _("批量路径不支持“%(name)s”。") % {"name": step.name})
        reason = (step.reason or "").strip()
        refused = transitions.refusal(case, spec, by=step.by, reason=reason)
        if refused:
            self.fail(i, refused.message, refused.status)
        self._move(i, spec, by=step.by, at=step.at, reason=reason, inputs=dict(step.inputs))

    def _create(self, i: int, step: Step) -> None:
        case = self.plans[i].case
        campaign = case.campaign
        try:
            transitions.check_creator(step.by, case.region)
        except WorkflowError as exc:
            self.fail(i, exc.message, exc.status)
        if case.created_by_id != step.by.pk:
            self.fail(i, _("计划中的创建人与案例的创建人不一致。"))
        if not campaign.submission_opens <= step.at <= campaign.submission_closes:
            self.fail(i, _("“%(campaign)s”当时不接受申报。") % {"campaign": campaign.title})
        case.created_at = case.updated_at = step.at
        self._keep(i, transitions.record(case, name="create", from_state="", by=step.by, reason="", extra={}, at=step.at))

    def _move(self, i: int, spec: transitions.Spec, *, by, at: datetime, reason: str, inputs: dict) -> None:
        case = self.plans[i].case
        try:
            record = transitions.apply(case, spec, by=by, at=at, reason=reason, inputs=inputs,
                                       facts=_BatchFacts(self, i, at), settle=self._settle(i, at))
        except WorkflowError as exc:
            self.fail(i, exc.message, exc.status)
        self._keep(i, record)

    def _keep(self, i: int, record: CaseTransition) -> None:
        """The row `workflow.transition` writes, kept as a tuple in RECORD_FIELDS order (after case_id)."""
        self.records[i].append(
            (record.transition, record.from_state, record.to_state, record.by_id, record.at, record.reason, record.extra)
        )

    def _settle(self, i: int, at: datetime):
        """The batch's bookkeeping after a move: places and ranks, tier tallies, the time."""

        def settle(case: Case, from_state: str, inputs: dict, _updates: list[str]) -> None:
            case.updated_at = at
            self._nomination(i, from_state, inputs)
            if case.tier_id is not None:
                held = (case.status in TIER_HOLDING_STATES) - (from_state in TIER_HOLDING_STATES)
                self.tier_taken[case.tier_id] += held

        return settle

    def key(self, case: Case) -> tuple:
        return case.campaign_id, case.province_id, case.category_id

    def quota(self, case: Case) -> int:
        key = self.key(case)
        if key not in self.quotas:
            code = case.category.code if case.category_id else ""
            self.quotas[key] = case.campaign.quota_for(case.province_id, code)
        return self.quotas[key]

    def _nomination(self, i: int, from_state: str, inputs: dict) -> None:
        """`workflow`'s nomination bookkeeping, in memory: places and ranks as cases enter and leave."""
        case = self.plans[i].case
        counted_before = from_state in nomination.COUNTED_STATES
        counted_now = case.status in nomination.COUNTED_STATES and case.campaign.nomination_required
        ranked = self.nominated[self.key(case)]
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

    # --- reviews --------------------------------------------------------------------------

    def _assign(self, i: int, review: Review) -> None:
        case = self.plans[i].case
        campaign = case.campaign
        member = self.pool.get((campaign.pk, review.reviewer.pk))
        if member is None or not review.reviewer.is_active:
            self.fail(i, _("评审专家“%(name)s”不在本活动的专家库中。") % {"name": review.reviewer.username})
        try:
            check_assignable(case, review.reviewer)
            if any(a.reviewer_id == review.reviewer.pk for a in self.assignments[i]):
                raise already_assigned()
        except WorkflowError as exc:
            self.fail(i, exc.message, exc.status)
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
        try:
            check_in_review(case)
        except WorkflowError as exc:
            self.fail(i, exc.message, exc.status)
        assignment = next(a for a in self.assignments[i] if a.reviewer_id == review.reviewer.pk)
        assignment.status = ReviewStatus.FINAL
        if all(a.status == ReviewStatus.FINAL for a in self.assignments[i]):
            self._move(i, transitions.SPECS["complete_review"], by=None, at=review.final_at,
                       reason=str(transitions.AUTO_COMPLETE_REASON), inputs={})


class _BatchFacts:
    """`guards.Facts` for plan `i` at time `at`, answered from the batch (`_Run`), not the database."""

    campaign_open = True  # inside its window (the guard checks the window against `at`)
    open_objections = upheld_objections = 0  # plans carry no objections

    def __init__(self, run: _Run, i: int, at: datetime):
        self.run, self.i, self.now = run, i, at
        self.case = run.plans[i].case

    @property
    def content_problems(self) -> list[str]:
        case = self.case
        return content_problems(
            case, needs_category=case.category_id is None and self.run.has_categories[case.campaign_id],
            has_indicators=bool(case._bulk_indicators), has_images=True, has_attachments=True,  # no files
        )

    @property
    def quota(self) -> int:
        return self.run.quota(self.case)

    @property
    def quota_taken(self) -> int:
        return sum(1 for c in self.run.nominated[self.run.key(self.case)] if c is not self.case)

    def tier(self, code: str) -> Tier | None:
        return self.run.tiers[self.case.campaign_id].get(code)

    def tier_taken(self, tier: Tier) -> int:
        return self.run.tier_taken[tier.pk]

    @property
    def reviewers_assigned(self) -> int:
        return sum(1 for a in self.run.assignments[self.i] if a.assigned_at <= self.now)

    @property
    def reviews_pending(self) -> int | None:
        active = [a for a in self.run.assignments[self.i] if a.assigned_at <= self.now]
        return sum(1 for a in active if a.status != ReviewStatus.FINAL) if active else None


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


def simulate(plans: list[Plan]) -> list[list[tuple]]:
    """The plans run in memory only (a dry run): per plan its history rows, as tuples in
    RECORD_FIELDS order after `case_id`, or BulkPlanError as `create_many` would raise it."""
    run = _Run(plans)
    run.run()
    return run.records


def _category_code(run: _Run, campaign_id: int, category_id: int | None) -> str:
    if category_id is None:
        return ""
    return next(c.code for c in run.campaigns[campaign_id].categories.all() if c.pk == category_id)


def index_published(case_ids: list[int], progress: Progress | None = None, batch: int = 500) -> None:
    """The public index for these cases, through search's bulk sync (both backends), in batches."""
    # search stands above cases (it indexes them): it lends its bulk sync through the port.
    for start in range(0, len(case_ids), batch):
        extensions.search.sync_cases(case_ids[start : start + batch])
        if progress:
            progress("index", min(start + batch, len(case_ids)), len(case_ids))


__all__ = ["BulkPlanError", "BulkResult", "Plan", "Review", "Step", "create_many", "index_published", "simulate"]
