"""The benchmark's own data for bench/batch.py: campaigns `bench-batch-*`, user `bench-batch-staff`.

Everything enters through the real code paths (the import command, the workflow), is reused
when a previous run left it complete, and is cleared only within these campaigns, so it never
disturbs other data in the same database (such as the 100,000-case dataset).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from accounts.roles import Role
from cases import importing
from cases.demo.campaigns import RUBRIC
from cases.demo.content import THEME_NAMES, generate_cases
from cases.demo.loader import EXCLUDED_PROVINCES, province_table
from cases.models import (
    Campaign,
    CampaignCategory,
    Case,
    CaseTransition,
    Region,
    ReviewAssignment,
    ReviewerPoolMember,
    ReviewStatus,
    RubricCriterion,
    Tier,
)
from cases.states import CampaignStatus
from regions.models import RegionLevel
from search.backends import database_backend
from search.extract import searchable_cases
from search.models import PendingIndexOp

Log = Callable[[str], None]
STAFF = "bench-batch-staff"
REINDEX_SLUG = "bench-batch-reindex"
IMPORT_SLUG = "bench-batch-import"
RANKING_SLUG = "bench-batch-ranking"
TIERS = (("exemplary", "示范案例"), ("excellent", "优秀案例"))
CONTENT_FIELDS = (
    "summary", "organisation", "organisation_type", "contact_name", "contact_phone", "contact_email", "scenarios",
    "task_area", "key_groups", "special_project", "background", "approach", "outcomes", "lessons", "replicability",
)


def staff():
    user, _created = get_user_model().objects.get_or_create(
        username=STAFF, defaults={"role": Role.SECRETARIAT, "email": ""}
    )
    return user


def finished_campaign(slug: str, title: str) -> Campaign:
    """A finished campaign with the demo's categories, tiers and rubric (created once)."""
    existing = Campaign.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    now = timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.create(
            slug=slug, title=title, year=2024, status=CampaignStatus.FINISHED,
            submission_opens=now - timedelta(days=400), submission_closes=now - timedelta(days=300),
        )
        _children(campaign)
    return campaign


def _children(campaign: Campaign) -> None:
    for i, (code, name) in enumerate(THEME_NAMES.items()):
        CampaignCategory.objects.create(campaign=campaign, code=code, title=name[:60], sort_order=i)
    for i, (code, name, description, max_score) in enumerate(RUBRIC):
        RubricCriterion.objects.create(
            campaign=campaign, code=code, name=name, description=description, max_score=max_score, sort_order=i
        )
    for i, (code, title) in enumerate(TIERS):
        Tier.objects.create(campaign=campaign, code=code, title=title, quota=30000, sort_order=i)


def import_rows(campaign: Campaign, n: int, *, seed: int) -> list[dict]:
    """`n` generated cases as import rows for `campaign` (deterministic for a seed)."""
    rows = []
    for i, item in enumerate(_generated(n, seed)):
        item = dict(item)
        category = item.pop("category_hint")
        rows.append({
            **item, "campaign": campaign.slug, "category": category, "tier": TIERS[i % 7 != 0][0],
            "published_at": "2025-12-18T10:00:00+08:00", "source": "批量操作基准",
        })
    return rows


def _generated(n: int, seed: int) -> list[dict]:
    """The load data's content (about two thousand characters a case, like the 100,000-case
    dataset), spread over the provinces; the demo generator's plain cases if that is missing."""
    table = province_table()
    try:
        from cases.loadgen.content import province_items
    except ImportError:
        return generate_cases(n, seed=seed, provinces=table)
    items = []
    for i, (code, name, prefectures) in enumerate(table):
        k = n // len(table) + (i < n % len(table))
        items += province_items(code, name, prefectures, k, seed * 1000 + i)
    return items


def write_jsonl(path: Path, campaign: Campaign, n: int, *, seed: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for item in import_rows(campaign, n, seed=seed):
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def write_xlsx(path: Path, jsonl: Path) -> Path:
    """The same rows as a workbook: lists as 、-separated codes, indicators as JSON text."""
    from openpyxl import Workbook

    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip()]
    columns = list(rows[0])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(columns)
    for item in rows:
        sheet.append([_cell(name, item.get(name)) for name in columns])
    workbook.save(path)
    return path


def _cell(name: str, value):
    if name == "indicators":
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "、".join(value)
    return value


def clear_campaign(campaign: Campaign) -> int:
    """Remove this campaign's cases and everything hanging off them (audit events stay: immutable)."""
    ids = list(Case.objects.filter(campaign=campaign).values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        with transaction.atomic():
            database_backend().remove_cases(chunk)
            PendingIndexOp.objects.filter(case_id__in=chunk).delete()
            _delete_history(chunk)
            Case.objects.filter(pk__in=chunk).delete()
    return len(ids)


def _delete_history(case_ids: list[int]) -> None:
    """Case history is immutable to the application (its QuerySet refuses); the benchmark
    removes the history of its own throw-away cases with plain SQL, and nothing else."""
    table = connection.ops.quote_name(CaseTransition._meta.db_table)
    column = connection.ops.quote_name(CaseTransition._meta.get_field("case").column)
    placeholders = ", ".join(["%s"] * len(case_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({placeholders})", case_ids)  # noqa: S608


def published_campaign(n: int, *, log: Log) -> Campaign:
    """A finished campaign holding exactly `n` published cases, imported through import_cases."""
    campaign = finished_campaign(REINDEX_SLUG, "批量操作基准：重建索引")
    if searchable_in(campaign).count() == n and campaign.cases.count() == n:
        return campaign
    log(f"setting up {n} published cases in {REINDEX_SLUG} (once)")
    clear_campaign(campaign)
    table = importing.readers.Table(rows=[
        importing.readers.RawRow(number, data=item)
        for number, item in enumerate(import_rows(campaign, n, seed=17), start=1)
    ])
    valid = importing.check_table(table, default_source="批量操作基准")
    importing.import_rows(valid, by=staff())
    return campaign


def import_campaign(*, log: Log) -> tuple[Campaign, object]:
    campaign = finished_campaign(IMPORT_SLUG, "批量操作基准：导入")
    if campaign.cases.exists():
        log(f"clearing {IMPORT_SLUG} left by an earlier run")
        clear_campaign(campaign)
    return campaign, staff()


def _users(prefix: str, role: str, regions: list) -> list:
    User = get_user_model()
    out = []
    for i, region in enumerate(regions):
        user, _created = User.objects.get_or_create(
            username=f"{prefix}-{i:02d}", defaults={"role": role, "region": region, "email": ""}
        )
        out.append(user)
    return out


def ranking_campaign(n: int, reviews: int, *, log: Log) -> tuple[Campaign, object]:
    """A campaign of `n` cases, each reviewed (`reviews` final scores), built once through the
    workflow's bulk path (`cases.workflow_bulk`: the same rulebook, guards and history rows as
    one by one): create, submit, pass_check, assign, start_review, final scores."""
    from cases.workflow_bulk import Plan, Review, Step, create_many

    campaign = Campaign.objects.filter(slug=RANKING_SLUG).first()
    if campaign is not None:
        finals = ReviewAssignment.objects.filter(case__campaign=campaign, status=ReviewStatus.FINAL).count()
        if campaign.cases.count() == n and finals == n * reviews and campaign.reviewers_per_case == reviews:
            return campaign, staff()
        log(f"clearing {RANKING_SLUG}: it does not hold {n} cases with {reviews} final reviews each")
        clear_campaign(campaign)
        campaign.delete()
    log(f"setting up {n} reviewed cases × {reviews} final scores in {RANKING_SLUG} (once)")
    now = timezone.now()
    opens, closes = now - timedelta(days=200), now - timedelta(days=120)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            slug=RANKING_SLUG, title="批量操作基准：排名", year=2025, status=CampaignStatus.REVIEWING,
            submission_opens=opens, submission_closes=closes, nomination_required=False,
            reviewers_per_case=reviews, aggregation="trimmed_mean",
        )
        _children(campaign)
    campaign = Campaign.objects.prefetch_related("categories", "tiers", "rubric").get(pk=campaign.pk)
    provinces = list(Region.objects.filter(level=RegionLevel.PROVINCE).exclude(code__in=EXCLUDED_PROVINCES))
    submitters = {u.region_id: u for u in _users("bench-batch-sub", Role.SUBMITTER, provinces)}
    reviewers = _users("bench-batch-rev", Role.REVIEWER, provinces[: max(reviews + 5, 30)])
    cap = n * reviews // len(reviewers) + 10
    ReviewerPoolMember.objects.bulk_create(
        [ReviewerPoolMember(campaign=campaign, reviewer=r, load_cap=cap) for r in reviewers]
    )
    regions = Region.objects.in_bulk()
    categories = {c.code: c for c in campaign.categories.all()}
    rubric = list(campaign.rubric.all())
    rng = random.Random(5)
    plans, turn = [], 0
    for k, item in enumerate(import_rows(campaign, n, seed=41)):
        region = regions[item["region"]]
        province = region.province_code
        case = Case(
            campaign=campaign, region=region, category=categories[item["category"]],
            created_by=submitters[province], title=item["title"],
            **{name: item[name] for name in CONTENT_FIELDS},
            period_start=date.fromisoformat(item["period_start"]), period_end=date.fromisoformat(item["period_end"]),
        )
        created = opens + timedelta(minutes=k + 1)
        started = closes + timedelta(days=20, seconds=k)
        chosen = []
        while len(chosen) < reviews:
            reviewer = reviewers[turn % len(reviewers)]
            turn += 1
            if reviewer.region_id != province and reviewer not in chosen:
                chosen.append(reviewer)
        quality = rng.uniform(0.45, 0.95)
        plan_reviews = [
            Review(r, started - timedelta(hours=1),
                   {c.code: round(c.max_score * min(1.0, max(0.0, quality + rng.uniform(-0.12, 0.12)))) for c in rubric},
                   "", started + timedelta(days=1, minutes=j))
            for j, r in enumerate(chosen)
        ]
        steps = [Step("create", case.created_by, created), Step("submit", case.created_by, created + timedelta(hours=1)),
                 Step("pass_check", staff(), closes + timedelta(days=10, seconds=k)),
                 Step("start_review", staff(), started)]
        plans.append(Plan(case=case, steps=steps, indicators=item["indicators"], reviews=plan_reviews))
    with transaction.atomic():
        create_many(plans, index=False)
    return campaign, staff()


def searchable_in(campaign: Campaign):
    return searchable_cases().filter(campaign=campaign).order_by("pk")


def database_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def dataset_description() -> str:
    total = Case.objects.count()
    own = Case.objects.filter(campaign__slug__startswith="bench-batch-").count()
    published = searchable_cases().exclude(campaign__slug__startswith="bench-batch-").count()
    return (f"{total - own:,} cases ({published:,} published) in the database, plus the benchmark's own "
            f"campaigns {REINDEX_SLUG} / {IMPORT_SLUG} / {RANKING_SLUG} ({own:,} cases now)")
