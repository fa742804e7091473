"""Scale check for the database backend: N generated published cases, then query latencies.

    DATABASE_URL=sqlite:////tmp/scale.sqlite3 DJANGO_SETTINGS_MODULE=config.settings.dev \\
        .venv/bin/python manage.py migrate && .venv/bin/python bench/scale.py 10000

Cases enter through `workflow.import_published` (the import path), so the index is built by
the same on-commit indexing as in production; timings are printed as it goes.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.roles import Role  # noqa: E402
from cases import workflow  # noqa: E402
from cases.demo.content import THEME_NAMES, generate_cases  # noqa: E402
from cases.demo.loader import province_table  # noqa: E402
from cases.models import Campaign, CampaignCategory, Region  # noqa: E402
from cases.states import CampaignStatus  # noqa: E402
from search.models import IndexTerm  # noqa: E402
from search.query import SearchQuery  # noqa: E402
from search.service import related_cases, search_cases  # noqa: E402

QUERIES = ["老年人", "适老化", "农民 手机", "退役军人", "数字乡村", "数字", "老", "术服务老", "用智能技术的困",
           "怎样帮助老人学会用智能手机", "中小企业 数字化转型", "反诈"]


def load(n: int) -> None:
    from django.utils import timezone

    staff, _ = get_user_model().objects.get_or_create(username="scale-staff", defaults={"role": Role.SECRETARIAT})
    now = timezone.now()
    campaign, created = Campaign.objects.get_or_create(
        slug="scale", defaults={"title": "规模测试", "year": 2025, "status": CampaignStatus.FINISHED,
                                "submission_opens": now, "submission_closes": now + timezone.timedelta(days=1)},
    )
    if created:
        for i, (code, name) in enumerate(THEME_NAMES.items()):
            CampaignCategory.objects.create(campaign=campaign, code=code, title=name, sort_order=i)
    categories = {c.code: c for c in campaign.categories.all()}
    regions = Region.objects.in_bulk()
    done = campaign.cases.count()
    items = generate_cases(n, seed=7, provinces=province_table())[done:]
    started = time.monotonic()
    for i, item in enumerate(items, start=done + 1):
        fields = {k: v for k, v in item.items() if k not in {"region", "indicators", "category_hint", "period_start", "period_end"}}
        workflow.import_published(by=staff, campaign=campaign, source="规模测试", region=regions[item["region"]],
                                  category=categories[item["category_hint"]], **fields)
        if i % 500 == 0:
            rate = (i - done) / (time.monotonic() - started)
            print(f"{i} cases, {rate:.1f}/s", flush=True)


def measure() -> None:
    print(f"postings: {IndexTerm.objects.count()}")
    for q in QUERIES:
        times, queries = [], 0
        for _ in range(3):
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as ctx:
                t = time.monotonic()
                results = search_cases(SearchQuery(q=q, page_size=20))
                times.append(time.monotonic() - t)
            queries = len(ctx)
        print(f"{q!r:<28} total {results.total:>6}  median {statistics.median(times) * 1000:7.0f} ms  queries {queries}")
    t = time.monotonic()
    search_cases(SearchQuery(group=("elderly",), province=("440000",)))
    print(f"browse with two filters: {(time.monotonic() - t) * 1000:.0f} ms")
    case_id = IndexTerm.objects.values_list("case_id", flat=True).first()
    t = time.monotonic()
    related_cases(case_id)
    print(f"related: {(time.monotonic() - t) * 1000:.0f} ms")


if __name__ == "__main__":
    load(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
    measure()
