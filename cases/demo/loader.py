"""`load_demo_data`: accounts, two campaigns and a few hundred cases, all through the services.

Idempotent: accounts are found by username, campaigns by slug and cases by title, and
whatever exists is skipped, so a second run changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from regions.models import RegionKind, RegionLevel

from .. import effects
from ..models import Campaign, Case, CaseAttachment, CaseImage, Region
from ..taxonomies import KeyGroup, Scenario, TaskArea
from . import accounts, campaigns, content, selection
from .cases import Actors, CaseMaker, state_for

DEFAULT_CASES = 320
SEED = 2026
# Taiwan, Hong Kong and Macao have no prefecture data and no pilot programme here.
EXCLUDED_PROVINCES = frozenset({"710000", "810000", "820000"})
MIN_FULL_CASES, MIN_FULL_PROVINCES = 300, 25
# Cases per transaction: an interrupted load loses at most this many, and a re-run makes them.
BATCH = 40

Log = Callable[[str], None]
Progress = Callable[[str, int, int], None]


class DemoDataError(Exception):
    pass


@dataclass
class Summary:
    created_accounts: int = 0
    created_cases: int = 0
    skipped_cases: int = 0
    by_state: dict[str, Counter] = field(default_factory=dict)
    provinces: int = 0
    images: int = 0
    attachments: int = 0
    users: int = 0
    problems: list[str] = field(default_factory=list)


def demo_present() -> bool:
    """Whether the database already holds demo data, or any cases at all (then `--if-empty` does nothing)."""
    return Campaign.objects.filter(slug__in=[campaigns.FINISHED_SLUG, campaigns.OPEN_SLUG]).exists() or Case.objects.exists()


def province_table() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(code, name, prefectures) for every demo province, from the Region table."""
    provinces = Region.objects.filter(level=RegionLevel.PROVINCE).exclude(code__in=EXCLUDED_PROVINCES)
    prefectures: dict[str, list[tuple[str, str]]] = {}
    for pref in Region.objects.filter(level=RegionLevel.PREFECTURE).exclude(kind=RegionKind.GROUPING):
        prefectures.setdefault(pref.parent_id, []).append((pref.code, pref.name))
    return [(p.code, p.name, prefectures.get(p.code, [])) for p in provinces]


def _actors(provinces: list[Region]) -> Actors:
    User = get_user_model()
    users = {u.username: u for u in User.objects.select_related("region")}
    return Actors(
        secretariat=users["secretariat"],
        submitters={p.code: users[accounts.submitter_username(p.code)] for p in provinces},
        recommenders={p.code: users[accounts.recommender_username(p.code)] for p in provinces},
    )


def load(*, n_cases: int = DEFAULT_CASES, seed: int = SEED, log: Log = print,
         progress: Progress | None = None) -> Summary:
    """Load (or complete) the demo data set; e-mail is not sent for the demo's transitions.

    Nor is the compilation rebuilt after each of the hundreds of publications (a build per
    publication makes the load quadratic): `load_demo_data` builds each book once at the end."""
    # Demo addresses are fake (example.cn): never hand thousands of notifications to SMTP.
    # Renditions are not made while loading either (a third of a small load's time): the file
    # views make each on its first request (docs/demo.md, "Timing").
    casebook = {**settings.CASEBOOK, "COMPILATION_BUILD_ON_CHANGE": False}
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend", CASEBOOK=casebook), \
            effects.skipping("website.renditions"):
        return _load(n_cases=n_cases, seed=seed, log=log, progress=progress or (lambda *a: None))


def _load(*, n_cases: int, seed: int, log: Log, progress: Progress) -> Summary:
    summary = Summary()
    password = accounts.demo_password()
    accounts.check_password(password)

    items = content.generate_cases(n_cases, seed=seed, provinces=province_table())
    regions = Region.objects.in_bulk()
    used = sorted({regions[i["region"]].province_code for i in items} | set(accounts.NAMED_PROVINCES))
    provinces = [regions[code] for code in used]

    summary.created_accounts = accounts.ensure_accounts(accounts.account_specs(provinces), password=password)
    log(f"账户：新建 {summary.created_accounts} 个。")

    published = sum(state_for(i) == "published" for i in range(n_cases))
    categories = [(code, content.THEME_NAMES[code]) for code in content.THEMES]
    demo = campaigns.ensure_campaigns(categories=categories, published=published)
    log(f"征集活动：{demo.finished.title}（已结束）、{demo.open.title}（征集中）。")

    existing = set(Case.objects.filter(campaign__in=[demo.finished, demo.open]).values_list("title", flat=True))
    maker = CaseMaker(finished=demo.finished, open_campaign=demo.open, actors=_actors(provinces), regions=regions)
    for start in range(0, len(items), BATCH):
        # One transaction per batch, not per case (a commit each was a fifth of the wall time).
        # Not `effects.batched()`: its deferred 查重 index would hide a batch's earlier cases from
        # the reports run at commit, and the figures would differ from a case-by-case load.
        with transaction.atomic():
            for index, item in enumerate(items[start:start + BATCH], start):
                if item["title"] in existing:
                    summary.skipped_cases += 1
                else:
                    maker.make(index, item)
                    summary.created_cases += 1
        progress("案例", min(start + BATCH, len(items)), len(items))
    log(f"案例：新建 {summary.created_cases} 个，已存在跳过 {summary.skipped_cases} 个。")

    # Later stages of the lifecycle: review, selection, notice, objections, adoptions, revocation.
    actors = _actors(provinces)
    selection.load_selection_stage(actors=actors, regions=regions, province_table=province_table(), log=log)
    selection.load_adoptions_and_revocation(finished=demo.finished, actors=actors, log=log)

    _summarise(summary, demo)
    if n_cases >= MIN_FULL_CASES:
        summary.problems = coverage_problems(demo)
        if summary.problems:
            raise DemoDataError("演示数据覆盖不全：" + "；".join(summary.problems))
    return summary


def demo_cases(demo: campaigns.DemoCampaigns):
    return Case.objects.filter(campaign__in=[demo.finished, demo.open])


def _summarise(summary: Summary, demo: campaigns.DemoCampaigns) -> None:
    cases = demo_cases(demo)
    for campaign in (demo.finished, demo.open):
        summary.by_state[campaign.slug] = Counter(cases.filter(campaign=campaign).values_list("status", flat=True))
    summary.provinces = cases.values("province").distinct().count()
    summary.images = CaseImage.objects.filter(case__in=cases).count()
    summary.attachments = CaseAttachment.objects.filter(case__in=cases).count()
    summary.users = get_user_model().objects.count()


def coverage_problems(demo: campaigns.DemoCampaigns) -> list[str]:
    """What a full demo set must show: ≥300 cases, ≥25 provinces, every scenario, task area and key group."""
    cases = demo_cases(demo)
    rows = list(cases.values_list("scenarios", "task_area", "key_groups", "province_id"))
    problems = []
    if len(rows) < MIN_FULL_CASES:
        problems.append(f"案例只有 {len(rows)} 个（至少 {MIN_FULL_CASES} 个）")
    provinces = {r[3] for r in rows}
    if len(provinces) < MIN_FULL_PROVINCES:
        problems.append(f"只覆盖 {len(provinces)} 个省份（至少 {MIN_FULL_PROVINCES} 个）")
    for label, enum, seen in [
        ("应用场景", Scenario, {s for r in rows for s in r[0]}),
        ("主要任务", TaskArea, {r[1] for r in rows}),
        ("重点群体", KeyGroup, {g for r in rows for g in r[2]}),
    ]:
        missing = [str(enum(code).label) for code in enum.values if code not in seen]
        if missing:
            problems.append(f"{label}缺少：{'、'.join(missing)}")
    return problems
