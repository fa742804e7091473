"""How load data is spread: provinces by population, campaigns over the years, states per campaign.

Pure functions over counts (no database), so the shape is easy to read and to test: which
campaigns exist, how many cases each gets, and how many of those end in each state.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..states import CampaignStatus

# Seventh national census (2020), in 10 000 people. Weights grow a little slower than population,
# so a small province still has its share of cases.
POPULATION = {
    "110000": 2189, "120000": 1387, "130000": 7461, "140000": 3492, "150000": 2405, "210000": 4259,
    "220000": 2407, "230000": 3185, "310000": 2487, "320000": 8475, "330000": 6457, "340000": 6103,
    "350000": 4154, "360000": 4519, "370000": 10153, "410000": 9937, "420000": 5775, "430000": 6644,
    "440000": 12601, "450000": 5013, "460000": 1008, "500000": 3205, "510000": 8367, "520000": 3856,
    "530000": 4721, "540000": 365, "610000": 3953, "620000": 2502, "630000": 592, "640000": 720,
    "650000": 2585,
}
WEIGHT_EXPONENT = 0.8

# Shares of a campaign's cases by final state (published is set by --published, apart from these).
FINISHED_MIX = {
    "not_selected": 0.40, "rejected_by_recommender": 0.09, "rejected_by_check": 0.07, "withdrawn": 0.10,
    "draft": 0.16, "returned": 0.08,
}
NOTICE_MIX = {
    "in_notice": 0.10, "shortlisted": 0.01, "not_selected": 0.30, "rejected_by_recommender": 0.09,
    "rejected_by_check": 0.07, "withdrawn": 0.10, "draft": 0.15, "returned": 0.08,
}
REVIEWING_MIX = {
    "in_review": 0.26, "reviewed": 0.10, "eligible": 0.04, "recommended": 0.05, "rejected_by_recommender": 0.09,
    "rejected_by_check": 0.06, "withdrawn": 0.10, "draft": 0.18, "returned": 0.12,
}
OPEN_MIX = {
    "draft": 0.34, "submitted": 0.24, "recommended": 0.18, "returned": 0.09, "withdrawn": 0.06,
    "rejected_by_recommender": 0.09,
}
# Share of published cases revoked later (they end `disqualified`).
REVOKED_SHARE = 0.01
# The most a finished campaign can publish of its cases (selection is selective).
MAX_PUBLISHED_SHARE = 0.45


@dataclass
class CampaignShape:
    """One load campaign: its kind, year and window, size and the state of each of its cases."""

    kind: str  # a CampaignStatus value: finished, notice, reviewing, open
    year: int
    batch: int
    opens: datetime
    closes: datetime
    review_starts: datetime
    review_deadline: datetime
    notice_starts: datetime | None
    notice_ends: datetime | None
    publish_at: datetime | None
    reviewers_per_case: int
    size: int = 0
    states: list[str] = field(default_factory=list)  # one target state per case, shuffled

    @property
    def slug(self) -> str:
        return f"load-{self.year}-{self.batch}"


def province_weights(codes: list[str]) -> dict[str, float]:
    return {code: POPULATION.get(code, 1000) ** WEIGHT_EXPONENT for code in codes}


def split(total: int, weights: list[float]) -> list[int]:
    """`total` split by `weights` in whole numbers (largest remainder), summing to `total`."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    out = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - out[i], reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def campaign_shapes(n_campaigns: int, now: datetime) -> list[CampaignShape]:
    """Finished campaigns a year apart, then one in notice, one in review and the open one."""
    if n_campaigns < 4:
        raise ValueError("at least 4 campaigns: finished, notice, reviewing, open")
    shapes = []
    n_finished = n_campaigns - 3
    for i in range(n_finished):
        years_ago = n_finished - i + 1
        opens = (now - timedelta(days=365 * years_ago)).replace(month=4, day=1, hour=9, minute=0, second=0, microsecond=0)
        closes = opens + timedelta(days=90, hours=9)
        review_starts = closes + timedelta(days=20)
        deadline = review_starts + timedelta(days=40)
        notice_starts = deadline + timedelta(days=20)
        shapes.append(CampaignShape(
            kind=CampaignStatus.FINISHED, year=opens.year, batch=1, opens=opens, closes=closes,
            review_starts=review_starts, review_deadline=deadline, notice_starts=notice_starts,
            notice_ends=notice_starts + timedelta(days=7), publish_at=notice_starts + timedelta(days=9),
            reviewers_per_case=5 if i % 2 == 0 else 3,
        ))
    day = timedelta(days=1)
    notice_starts = now - 2 * day
    shapes.append(CampaignShape(
        kind=CampaignStatus.NOTICE, year=(now - 200 * day).year, batch=2, opens=now - 200 * day,
        closes=now - 110 * day, review_starts=now - 90 * day, review_deadline=now - 30 * day,
        notice_starts=notice_starts, notice_ends=notice_starts + 7 * day, publish_at=None, reviewers_per_case=5,
    ))
    shapes.append(CampaignShape(
        kind=CampaignStatus.REVIEWING, year=(now - 120 * day).year, batch=3, opens=now - 120 * day,
        closes=now - 40 * day, review_starts=now - 20 * day, review_deadline=now + 20 * day,
        notice_starts=None, notice_ends=None, publish_at=None, reviewers_per_case=3,
    ))
    shapes.append(CampaignShape(
        kind=CampaignStatus.OPEN, year=now.year, batch=4, opens=now - 30 * day, closes=now + 45 * day,
        review_starts=now + 65 * day, review_deadline=now + 105 * day, notice_starts=None, notice_ends=None,
        publish_at=None, reviewers_per_case=5,
    ))
    return shapes


def plan_states(shapes: list[CampaignShape], n_cases: int, n_published: int, rng: random.Random) -> None:
    """Sizes grow with the years (the open one is still collecting); states per the mixes."""
    weights = [1 + 0.15 * i for i in range(len(shapes))]
    weights[-1] *= 0.7
    for shape, size in zip(shapes, split(n_cases, weights), strict=True):
        shape.size = size
    finished = [s for s in shapes if s.kind == CampaignStatus.FINISHED]
    room = sum(int(s.size * MAX_PUBLISHED_SHARE) for s in finished)
    if n_published > room:
        raise ValueError(f"--published {n_published} 太多：这些已结束的征集活动最多发布 {room} 个案例。")
    published = split(n_published, [s.size for s in finished])
    for shape in shapes:
        fixed: dict[str, int] = {}
        if shape.kind == CampaignStatus.FINISHED:
            p = published[finished.index(shape)]
            fixed = {"published": p, "disqualified": round(p * REVOKED_SHARE)}
        mix = {
            CampaignStatus.FINISHED: FINISHED_MIX, CampaignStatus.NOTICE: NOTICE_MIX,
            CampaignStatus.REVIEWING: REVIEWING_MIX, CampaignStatus.OPEN: OPEN_MIX,
        }[shape.kind]
        rest = max(0, shape.size - sum(fixed.values()))
        counts = dict(zip(mix, split(rest, list(mix.values())), strict=True))
        states = [state for state, n in {**fixed, **counts}.items() for _ in range(n)]
        rng.shuffle(states)
        shape.states = states[: shape.size]
        shape.size = len(shape.states)


def tier_for(ordinal: int) -> str:
    """A third of the selected cases are exemplary (示范案例), the rest excellent (优秀案例)."""
    return "exemplary" if ordinal % 3 == 0 else "excellent"
