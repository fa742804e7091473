"""What waits on each role: the read-only questions behind the admin dashboards (docs/admin.md).

Each function answers for one user in a fixed number of queries, however many cases there are
(tests/workspace/test_dashboards.py counts them). Times come back in the campaign's time zone
(Asia/Shanghai: 北京时间). The dashboards only arrange what these return.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from . import permissions
from .models import Campaign, Case, CaseTransition, Objection, ReviewAssignment, ReviewStatus
from .models.objections import ObjectionOutcome
from .nomination import COUNTED_STATES
from .states import CampaignStatus, CaseStatus

# A notice "ends soon" within this many days: the secretariat prepares the publication.
NOTICE_ENDING_DAYS = 3
# Campaigns whose nominations are being made (the recommender's 待推荐).
NOMINATING_STATES = (CampaignStatus.OPEN, CampaignStatus.CLOSED)


@dataclass(frozen=True)
class Deadline:
    campaign: Campaign
    at: datetime  # local (Beijing) time
    days_left: int
    passed: bool


def _deadline(campaign: Campaign, at: datetime | None, now: datetime) -> Deadline | None:
    if at is None:
        return None
    return Deadline(campaign=campaign, at=timezone.localtime(at, campaign.tzinfo),
                    days_left=max((at - now).days, 0), passed=at <= now)


def submission_deadlines() -> list[Deadline]:
    """Each open campaign's submission deadline (one query)."""
    now = timezone.now()
    campaigns = Campaign.objects.filter(status=CampaignStatus.OPEN).order_by("submission_closes", "title")
    return [_deadline(c, c.submission_closes, now) for c in campaigns]


# --- submitter ------------------------------------------------------------------------------


@dataclass
class SubmitterTodo:
    drafts: int
    returned: list[Case]  # annotated with return_reason and returned_at (latest 退回修改)
    deadlines: list[Deadline]


def with_latest_return(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with the reason and time of its latest 退回修改."""
    latest = CaseTransition.objects.filter(case=OuterRef("pk"), transition="return_for_revision").order_by("-at", "-pk")
    return cases.annotate(return_reason=Subquery(latest.values("reason")[:1]),
                          returned_at=Subquery(latest.values("at")[:1]))


def submitter_todo(user) -> SubmitterTodo:
    """Drafts to finish, cases returned for revision (with the reason), open deadlines: 3 queries."""
    cases = permissions.working_cases(user)
    returned = with_latest_return(cases.filter(status=CaseStatus.RETURNED)).select_related("campaign")
    return SubmitterTodo(
        drafts=cases.filter(status=CaseStatus.DRAFT).count(),
        returned=list(returned.order_by("-returned_at", "pk")),
        deadlines=submission_deadlines(),
    )


# --- recommender ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaRow:
    category_id: int
    title: str
    awaiting: int  # submitted, waiting for 推荐 / 退回 / 不予推荐
    used: int
    quota: int

    @property
    def left(self) -> int:
        return max(self.quota - self.used, 0)


@dataclass
class NominationTodo:
    campaign: Campaign
    deadline: Deadline | None
    categories: list[QuotaRow] = field(default_factory=list)

    @property
    def awaiting(self) -> int:
        return sum(row.awaiting for row in self.categories)


@dataclass
class RecommenderTodo:
    campaigns: list[NominationTodo]
    returned: int  # returned by the province, waiting for the submitter to resubmit

    @property
    def awaiting(self) -> int:
        return sum(c.awaiting for c in self.campaigns)


def recommender_todo(user) -> RecommenderTodo:
    """Per nominating campaign and category: cases awaiting a decision, places used and left
    (the quota rule of cases/nomination.py); the province's returned cases. 5 queries."""
    province = user.region.province if user.region_id else None
    if province is None:
        return RecommenderTodo(campaigns=[], returned=0)
    cases = permissions.working_cases(user).filter(campaign__status__in=NOMINATING_STATES,
                                                   campaign__nomination_required=True)
    counts = (
        cases.filter(Q(status=CaseStatus.SUBMITTED) | Q(status__in=COUNTED_STATES))
        .order_by()
        .values_list("campaign_id", "category_id")
        .annotate(awaiting=Count("pk", filter=Q(status=CaseStatus.SUBMITTED)),
                  used=Count("pk", filter=Q(status__in=COUNTED_STATES)))
    )
    by_slot = {(c, k): (a, u) for c, k, a, u in counts}
    now = timezone.now()
    campaigns = []
    for campaign in (Campaign.objects.filter(status__in=NOMINATING_STATES, nomination_required=True)
                     .prefetch_related("categories", "quota_overrides").order_by("submission_closes", "title")):
        todo = NominationTodo(campaign=campaign, deadline=_deadline(campaign, campaign.submission_closes, now))
        for category in campaign.categories.all():
            awaiting, used = by_slot.get((campaign.pk, category.pk), (0, 0))
            todo.categories.append(QuotaRow(category_id=category.pk, title=category.title, awaiting=awaiting, used=used,
                                            quota=campaign.quota_for(province.code, category.code)))
        campaigns.append(todo)
    returned = cases.filter(status=CaseStatus.RETURNED).count()
    return RecommenderTodo(campaigns=campaigns, returned=returned)


# --- reviewer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewTodo:
    campaign: Campaign
    pending: int  # not started
    drafts: int  # saved, not yet final
    deadline: Deadline | None

    @property
    def open(self) -> int:
        return self.pending + self.drafts


def reviewer_todo(user) -> list[ReviewTodo]:
    """Per campaign: the reviewer's scores not yet final (not started / saved as draft) and the
    campaign's review deadline, soonest first. 2 queries."""
    rows = (
        ReviewAssignment.objects.filter(
            reviewer=user, status__in=[ReviewStatus.PENDING, ReviewStatus.DRAFT], case__status=CaseStatus.IN_REVIEW,
        )
        .order_by()
        .values_list("case__campaign_id")
        .annotate(pending=Count("pk", filter=Q(status=ReviewStatus.PENDING)),
                  drafts=Count("pk", filter=Q(status=ReviewStatus.DRAFT)))
    )
    counts = {campaign_id: (p, d) for campaign_id, p, d in rows}
    now = timezone.now()
    todos = [
        ReviewTodo(campaign=c, pending=counts[c.pk][0], drafts=counts[c.pk][1],
                   deadline=_deadline(c, c.review_deadline, now))
        for c in Campaign.objects.filter(pk__in=counts)
    ]
    far = now + timedelta(days=36500)
    return sorted(todos, key=lambda t: (t.campaign.review_deadline or far, t.campaign.title))


# --- secretariat ----------------------------------------------------------------------------


@dataclass
class CampaignTodo:
    campaign: Campaign
    awaiting_check: int = 0  # recommended: 形式审查
    short_of_reviewers: int = 0  # eligible or in review with fewer reviewers than the campaign needs
    overdue_reviews: int = 0  # scores not final after the review deadline
    open_objections: int = 0
    notices_ending: int = 0  # in notice, ending within NOTICE_ENDING_DAYS
    notice_ends: datetime | None = None  # the earliest of those, local time
    ready_to_publish: int = 0  # notice over, no open objection

    @property
    def total(self) -> int:
        return (self.awaiting_check + self.short_of_reviewers + self.overdue_reviews + self.open_objections
                + self.notices_ending + self.ready_to_publish)


def _by_campaign(qs, key: str = "campaign_id", **aggregates) -> dict[int, dict]:
    return {row[key]: row for row in qs.order_by().values(key).annotate(**aggregates)}


def secretariat_todo(campaign: Campaign | None = None) -> list[CampaignTodo]:
    """Per campaign (or the one given): what waits on the secretariat. 7 queries."""
    now = timezone.now()
    cases = Case.objects.all() if campaign is None else Case.objects.filter(campaign=campaign)
    check = _by_campaign(cases.filter(status=CaseStatus.RECOMMENDED), n=Count("pk"))
    # Counting an aggregate needs it in a subquery (one statement all the same).
    short_ids = (
        cases.filter(status__in=[CaseStatus.ELIGIBLE, CaseStatus.IN_REVIEW])
        .annotate(reviewers=Count("review_assignments", filter=~Q(review_assignments__status=ReviewStatus.CONFLICT)))
        .filter(reviewers__lt=F("campaign__reviewers_per_case"))
        .values("pk")
    )
    short = _by_campaign(Case.objects.filter(pk__in=short_ids), n=Count("pk"))
    overdue = _by_campaign(
        ReviewAssignment.objects.filter(
            case__in=cases, case__status=CaseStatus.IN_REVIEW, status__in=[ReviewStatus.PENDING, ReviewStatus.DRAFT],
            case__campaign__review_deadline__lt=now,
        ),
        key="case__campaign_id", n=Count("pk"),
    )
    objections = _by_campaign(Objection.objects.filter(case__in=cases, outcome=ObjectionOutcome.OPEN),
                              key="case__campaign_id", n=Count("pk"))
    in_notice = cases.filter(status=CaseStatus.IN_NOTICE)
    ending = _by_campaign(in_notice.filter(notice_ends__gt=now, notice_ends__lte=now + timedelta(days=NOTICE_ENDING_DAYS)),
                          n=Count("pk"), first=Min("notice_ends"))
    ready = _by_campaign(in_notice.filter(notice_ends__lte=now).exclude(objections__outcome=ObjectionOutcome.OPEN),
                         n=Count("pk", distinct=True))
    campaigns = [campaign] if campaign is not None else (
        Campaign.objects.exclude(status=CampaignStatus.DRAFT).order_by("-year", "-batch", "title"))
    todos = []
    for c in campaigns:
        first = ending.get(c.pk, {}).get("first")
        todos.append(CampaignTodo(
            campaign=c,
            awaiting_check=check.get(c.pk, {}).get("n", 0),
            short_of_reviewers=short.get(c.pk, {}).get("n", 0),
            overdue_reviews=overdue.get(c.pk, {}).get("n", 0),
            open_objections=objections.get(c.pk, {}).get("n", 0),
            notices_ending=ending.get(c.pk, {}).get("n", 0),
            notice_ends=timezone.localtime(first, c.tzinfo) if first else None,
            ready_to_publish=ready.get(c.pk, {}).get("n", 0),
        ))
    return todos
