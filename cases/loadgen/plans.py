"""Routes and plans: the transitions, actors, times and reviews that bring each load case to its state.

A route is the list of transition names for a target state (with some variety: a revision loop,
a return by the secretariat, a withdrawal before or after submitting); a plan adds who does each
step and when, inside the campaign's windows, so `workflow_bulk` can replay it in time order.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from ..notice import notice_window
from ..states import CampaignStatus
from ..workflow_bulk import Plan, Review, Step
from .distribution import CampaignShape

REVIEW_STATES = frozenset({"in_review", "reviewed", "not_selected", "shortlisted", "in_notice", "published",
                           "disqualified"})
SELECTED_STATES = frozenset({"shortlisted", "in_notice", "published", "disqualified"})
RETURN_REASONS = [
    "请补充近一年的成效数据，并上传培训台账等佐证材料。",
    "“可复制推广”部分请写明投入成本和实施周期。",
    "案例摘要偏长，请精炼到 300 字以内并突出特色做法。",
    "成效指标缺少基线值，请补充实施前的数据以便对比。",
]
SECRETARIAT_RETURN = "推荐函未加盖公章，请推荐单位补充盖章推荐函后重新推荐。"
WITHDRAW_REASONS = ["单位工作安排调整，本年度暂不申报，明年完善后再报。", "项目仍在实施中，成效数据尚不完整，暂缓申报。"]
DECLINE_REASONS = [
    "与本次征集方向契合度不高，建议结合本地实际进一步提炼后参加下一批次。",
    "本省该方向推荐名额有限，经综合比选暂不推荐。",
]
FAIL_REASONS = ["申报材料缺少盖章推荐函，不符合形式审查要求。", "申报内容与征集方向不符，未通过形式审查。"]
NOT_SELECT_REASON = "综合得分未进入本批次入选范围。"
REVOKE_REASON = "经核查，案例部分成效数据与实际情况不符，撤销发布。"
COMMENTS = [
    "做法扎实，成效数据完整，建议进一步提炼可复制的操作步骤。",
    "面向重点群体的针对性强，推广成本说明清楚。",
    "创新性较好，但可持续机制还需补充说明。",
    "案例示范带动作用明显，建议补充第三方评估结果。",
    "数据来源说明不够清楚，建议补充统计口径。",
]


def route(target: str, kind: str, rng: random.Random) -> list[str]:
    """The transition names (after `create`) that end in `target`."""
    loop = ["submit", "return_for_revision", "submit"] if rng.random() < 0.1 else ["submit"]
    nominated = [*loop, "recommend"]
    checked = [*nominated, "pass_check"]
    reviewed = [*checked, "start_review"]
    routes = {
        "draft": [],
        "submitted": loop,
        "returned": (
            [*nominated, "return_for_revision"] if kind != CampaignStatus.OPEN and rng.random() < 0.2
            else ["submit", "return_for_revision"]
        ),
        "withdrawn": ["withdraw"] if rng.random() < 0.5 else ["submit", "withdraw"],
        "rejected_by_recommender": [*loop, "decline"],
        "recommended": nominated,
        "rejected_by_check": [*nominated, "fail_check"],
        "eligible": checked,
        "in_review": reviewed,
        "reviewed": reviewed,
        "not_selected": [*reviewed, "not_select"],
        "shortlisted": [*reviewed, "shortlist"],
        "in_notice": [*reviewed, "shortlist", "open_notice"],
        "published": [*reviewed, "shortlist", "open_notice", "publish"],
        "disqualified": [*reviewed, "shortlist", "open_notice", "publish", "revoke"],
    }
    return routes[target]


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    if end <= start:
        return start + timedelta(minutes=1)
    return start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))


class Planner:
    """Turns (case, target, route) into a Plan with actors, times and reviews."""

    def __init__(self, *, shape: CampaignShape, campaign, actors, now: datetime, rng: random.Random):
        self.shape, self.campaign, self.actors, self.now, self.rng = shape, campaign, actors, now, rng
        self.submission_end = min(shape.closes, now) - timedelta(hours=1)
        self.check_from = shape.closes + timedelta(days=12)
        self.review_end = min(shape.review_deadline, now)
        self.reviewer_turn = 0
        self.sequence = 0
        self.rubric = list(campaign.rubric.all())

    def plan(self, case, target: str, names: list[str], indicators: list[dict], tier: str | None) -> Plan:
        rng, shape = self.rng, self.shape
        submitter = case.created_by
        recommender = self.actors.recommenders[case.province_id]
        staff = self.actors.secretariat
        created = _between(rng, shape.opens + timedelta(hours=1), shape.opens + (self.submission_end - shape.opens) * 0.7)
        steps = [Step("create", submitter, created)]
        t = created
        reviews: list[Review] = []
        self.sequence += 1
        tick = timedelta(seconds=self.sequence)  # batch steps of one moment keep a stable order
        for position, name in enumerate(names):
            by, reason, inputs = staff, "", {}
            if name == "submit":
                t, by = _between(rng, t, self.submission_end), submitter
            elif name == "withdraw":
                t, by, reason = _between(rng, t, self.submission_end), submitter, rng.choice(WITHDRAW_REASONS)
            elif name == "return_for_revision":
                if "recommend" in names[:position]:
                    t, reason = _between(rng, max(t, self.check_from), self.check_from + timedelta(days=6)), SECRETARIAT_RETURN
                else:
                    limit = self.submission_end if position + 1 < len(names) else min(t + timedelta(days=20), self.now)
                    t, by, reason = _between(rng, t, min(t + timedelta(days=10), limit)), recommender, rng.choice(RETURN_REASONS)
            elif name in ("recommend", "decline"):
                end = self.now if shape.kind == CampaignStatus.OPEN else shape.closes + timedelta(days=10)
                t, by = _between(rng, t, min(end, self.now)), recommender
                reason = rng.choice(DECLINE_REASONS) if name == "decline" else ""
                if name == "recommend" and rng.random() < 0.1:
                    inputs = {"rank": 1}  # a recommender putting a late case first
            elif name in ("pass_check", "fail_check"):
                t = _between(rng, max(t, self.check_from), self.check_from + timedelta(days=6))
                reason = rng.choice(FAIL_REASONS) if name == "fail_check" else ""
            elif name == "start_review":
                t = shape.review_starts + timedelta(hours=3) + tick
                reviews = self._reviews(case, target, assigned_at=shape.review_starts + tick, started=t)
            elif name in ("shortlist", "not_select"):
                last = max((r.final_at for r in reviews if r.final_at), default=t)
                t = _between(rng, last + timedelta(days=1), shape.notice_starts - timedelta(days=1))
                if name == "shortlist":
                    inputs = {"tier": tier}
                elif rng.random() < 0.5:
                    reason = NOT_SELECT_REASON
            elif name == "open_notice":
                t = shape.notice_starts + tick
                starts, ends = notice_window(self.campaign, timezone.localdate(shape.notice_starts, self.campaign.tzinfo))
                inputs = {"notice_starts": starts, "notice_ends": ends}
            elif name == "publish":
                t = shape.publish_at + tick
            elif name == "revoke":
                t, reason = _between(rng, t + timedelta(days=30), self.now - timedelta(days=1)), REVOKE_REASON
            steps.append(Step(name, by, t, reason, inputs))
        return Plan(case=case, steps=steps, indicators=indicators, reviews=reviews)

    def _reviewers(self, case, k: int) -> list:
        pool = self.actors.reviewers
        chosen = []
        while len(chosen) < k:
            reviewer = pool[self.reviewer_turn % len(pool)]
            self.reviewer_turn += 1
            if reviewer.region.province_id != case.province_id and reviewer not in chosen:
                chosen.append(reviewer)
        return chosen

    def _reviews(self, case, target: str, *, assigned_at: datetime, started: datetime) -> list[Review]:
        rng, k = self.rng, self.campaign.reviewers_per_case
        reviewers = self._reviewers(case, k)
        finals = k if target != "in_review" else rng.randint(0, k - 1)
        if target in SELECTED_STATES:
            quality = rng.uniform(0.8, 0.95)
        elif target == "not_selected":
            quality = rng.uniform(0.45, 0.8)
        else:
            quality = rng.uniform(0.45, 0.95)
        out = []
        start = started + timedelta(minutes=30)
        for n, reviewer in enumerate(reviewers):
            share = min(1.0, max(0.2, quality + rng.uniform(-0.1, 0.1)))
            scores = {c.code: round(c.max_score * min(1.0, share + rng.uniform(-0.05, 0.05))) for c in self.rubric}
            if n < finals:
                out.append(Review(reviewer, assigned_at, scores, rng.choice(COMMENTS), _between(rng, start, self.review_end)))
            elif rng.random() < 0.5:
                partial = dict(list(scores.items())[: rng.randint(1, len(scores) - 1)])
                out.append(Review(reviewer, assigned_at, partial, ""))
            else:
                out.append(Review(reviewer, assigned_at))
        return out
