"""`generate_load_data`: a large, realistic data set, created through the workflow's bulk path.

Phases (each timed): the shape (campaigns, states, provinces), the content, the accounts and
campaigns, the plans, the bulk writes per campaign, and the public index of the published cases.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ..bulk_insert import insert
from ..demo.images import alt_text
from ..demo.loader import province_table
from ..models import Campaign, Case, CaseImage, Region
from ..states import EDITABLE_STATES
from ..workflow_bulk import BulkResult, create_many, index_published
from . import content, distribution, setup
from .plans import REVIEW_STATES, SELECTED_STATES, Planner, route

Log = Callable[[str], None]
Progress = Callable[[str, int, int], None]


class LoadDataError(Exception):
    pass


@dataclass
class Report:
    by_state: Counter = field(default_factory=Counter)
    by_campaign: dict[str, Counter] = field(default_factory=dict)
    transitions: int = 0
    reviews: int = 0
    indicators: int = 0
    images: int = 0
    published_ids: list[int] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        return sum(t for _n, t in self.timings)


def _phases(report: Report, log: Log):
    @contextmanager
    def phase(name: str) -> Iterator[None]:
        started = time.monotonic()
        log(f"▶ {name}…")
        yield
        took = time.monotonic() - started
        report.timings.append((name, took))
        log(f"  {name}：用时 {took:.1f} 秒")

    return phase


def generate(*, n_cases: int, n_published: int, n_campaigns: int = 6, seed: int = 2026, chunk: int = 2000,
             log: Log = print, progress: Progress | None = None) -> Report:
    if n_cases < 1 or n_published < 0 or n_published > n_cases:
        raise LoadDataError("--cases 至少为 1，--published 不能为负数，也不能超过 --cases。")
    if n_campaigns < 4:
        raise LoadDataError("--campaigns 至少为 4（已结束、公示中、评审中、征集中各一个）。")
    campaigns, cases = setup.existing_load_data()
    if campaigns:
        raise LoadDataError(
            f"数据库中已有压测数据（{campaigns} 个征集活动、{cases} 个案例），不再重复生成。"
            "请换用一个空数据库（或重建当前数据库）后再运行。"
        )
    rng = random.Random(seed)
    now = timezone.now()
    report = Report()
    phase = _phases(report, log)
    progress = progress or (lambda *a: None)

    with phase("分布"):
        shapes = distribution.campaign_shapes(n_campaigns, now)
        try:
            distribution.plan_states(shapes, n_cases, n_published, rng)
        except ValueError as exc:
            raise LoadDataError(str(exc)) from None
        rows = province_table()
        weights = distribution.province_weights([r[0] for r in rows])
        codes = [r[0] for r in rows]
        provinces_of = {s.slug: rng.choices(codes, weights=[weights[c] for c in codes], k=s.size) for s in shapes}
        counts = Counter(code for chosen in provinces_of.values() for code in chosen)

    with phase("内容"):
        items = content.pool(rows, counts, seed)
        regions = Region.objects.select_related("province").in_bulk()
        drafts = {}  # slug → [(item, target, route)]
        for fresh in (True, False):  # selected cases first: they get texts of their own
            for shape in shapes:
                picked = drafts.setdefault(shape.slug, [None] * shape.size)
                for n, (code, target) in enumerate(zip(provinces_of[shape.slug], shape.states, strict=True)):
                    if (target in SELECTED_STATES) == fresh:
                        picked[n] = (items[code].take(), target, route(target, shape.kind, rng))

    with phase("账户与征集活动"):
        needed = {s.slug: sum(s.reviewers_per_case for _i, t, _r in drafts[s.slug] if t in REVIEW_STATES)
                  for s in shapes}
        submitter_regions = {i["region"] for picked in drafts.values() for i, _t, _r in picked}
        actors = setup.ensure_accounts(
            regions=regions, submitter_regions=submitter_regions, provinces=set(codes),
            n_reviewers=setup.reviewers_needed(max(needed.values(), default=0)),
        )
        made = {}
        for shape in shapes:
            tiers, nominations = Counter(), Counter()
            ordinal = 0
            for item, target, names in drafts[shape.slug]:
                if target in SELECTED_STATES:
                    tiers[distribution.tier_for(ordinal)] += 1
                    ordinal += 1
                if "recommend" in names:
                    province = regions[item["region"]].province_code
                    nominations[(province, item["category_hint"])] += 1
            campaign = setup.create_campaign(shape, tier_counts=tiers, nominations=nominations)
            setup.create_pool(campaign, actors.reviewers, needed[shape.slug])
            made[shape.slug] = campaign
        covers = setup.cover_images(actors.secretariat)

    for shape in shapes:
        campaign = Campaign.objects.prefetch_related(
            "categories", "tiers", "rubric", "quota_overrides").get(pk=made[shape.slug].pk)
        with phase(f"计划：{campaign.title}"):
            plans = _plans(shape, campaign, drafts.pop(shape.slug), actors, regions, now, rng)
        with phase(f"写入：{campaign.title}（{len(plans)} 个案例）"):
            with transaction.atomic():
                result = create_many(plans, chunk=chunk, progress=progress, index=False)
                report.images += _add_covers(plans, covers)
            _add(report, shape.slug, result)

    with phase(f"检索索引（{len(report.published_ids)} 个已发布案例）"):
        index_published(report.published_ids, progress)
    return report


def _plans(shape, campaign, picked, actors, regions, now, rng) -> list:
    categories = {c.code: c for c in campaign.categories.all()}
    planner = Planner(shape=shape, campaign=campaign, actors=actors, now=now, rng=rng)
    plans, ordinal = [], 0
    for item, target, names in picked:
        region = regions[item["region"]]
        tier = None
        if target in SELECTED_STATES:
            tier = distribution.tier_for(ordinal)
            ordinal += 1
        case = Case(campaign=campaign, category=categories[item["category_hint"]], title=item["title"], region=region,
                    created_by=actors.submitters[item["region"]], **content.case_fields(item))
        case.province_id = region.province_code
        plans.append(planner.plan(case, target, names, item["indicators"], tier))
    return plans


def _add_covers(plans: list, covers: dict) -> int:
    """Covers for the cases past editing (a draft's own cover could be deleted, with the shared image)."""
    images = [
        CaseImage(case_id=p.case.pk, image=covers[p.case.category.code], alt=alt_text(p.case.title), is_cover=True,
                  sort_order=0)
        for p in plans if p.case.status not in EDITABLE_STATES
    ]
    insert(CaseImage, images)
    return len(images)


def _add(report: Report, slug: str, result: BulkResult) -> None:
    report.by_state.update(result.by_state)
    report.by_campaign[slug] = result.by_state
    report.transitions += result.transitions
    report.reviews += result.reviews
    report.indicators += result.indicators
    report.published_ids += result.published_ids


__all__ = ["LoadDataError", "Report", "generate"]
