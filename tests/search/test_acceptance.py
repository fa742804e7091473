"""Acceptance on demo-like content: the demo generator's texts (a few per theme, not the whole
demo set), published through the workflow; the issue's queries must put the matching theme first."""

from __future__ import annotations

import pytest

from cases import workflow
from cases.demo.content import THEME_NAMES, generate_cases
from cases.models import CampaignCategory, Region
from search.query import SearchQuery
from search.service import search_cases
from tests import factories

from .conftest import finished_campaign

pytestmark = pytest.mark.django_db
PROVINCES = [
    ("440000", "广东省", [("440100", "广州市"), ("440300", "深圳市")]),
    ("510000", "四川省", [("510100", "成都市")]),
    ("330000", "浙江省", [("330100", "杭州市")]),
]


@pytest.fixture
def demo_like(db, django_capture_on_commit_callbacks) -> dict[int, str]:
    """case id → theme, for 48 generated cases (3 per theme on average)."""
    campaign = finished_campaign("demo-like", 2025)
    categories = {
        code: CampaignCategory.objects.create(campaign=campaign, code=code, title=name, sort_order=i + 10)
        for i, (code, name) in enumerate(THEME_NAMES.items())
    }
    staff = factories.secretariat(username="demo-like-staff")
    regions = Region.objects.in_bulk()
    themes = {}
    with django_capture_on_commit_callbacks(execute=True):
        for item in generate_cases(48, seed=2026, provinces=PROVINCES):
            fields = {k: v for k, v in item.items()
                      if k not in {"region", "indicators", "category_hint", "period_start", "period_end"}}
            case = workflow.import_published(
                by=staff, campaign=campaign, source="演示内容", region=regions[item["region"]],
                category=categories[item["category_hint"]], **fields,
            )
            themes[case.pk] = item["category_hint"]
    return themes


ACCEPTANCE = [("老年人", "elderly"), ("适老化", "elderly"), ("农民 手机", "rural"), ("退役军人", "veterans"),
              ("数字乡村", "rural")]


def test_acceptance_queries_put_the_matching_cases_first(demo_like):
    """One corpus for all five queries (building it is the slow part)."""
    for q, theme in ACCEPTANCE:
        wanted = sum(1 for t in demo_like.values() if t == theme)
        hits = search_cases(SearchQuery(q=q)).hits
        top = [demo_like[h.case_id] for h in hits[: min(wanted, 3)]]
        assert top == [theme] * len(top), (q, top)
        assert "<mark>" in hits[0].highlight["title"] + hits[0].highlight["text"], q

    results = search_cases(SearchQuery(q="用智能技术的困"))  # a fragment from the middle of a sentence
    assert results.total >= 1
    assert all(demo_like[h.case_id] == "elderly" for h in results.hits)
    assert "<mark>用智能技术的困</mark>" in results.hits[0].highlight["text"]
