"""Helpers of the public-site tests: cases in any state through the workflow, extra rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from cases.models import Adoption, CaseImage, CaseIndicator
from tests import factories
from tests.files import png_bytes
from tests.workflow_paths import bring_to

# Regions with submitters in different provinces (their cases never share a scope).
REGIONS = [
    "440100", "330100", "420100", "510100", "320100", "370100", "410100", "430100", "350100", "130100",
    "140100", "150100", "210100", "220100", "230100", "340100", "360100", "450100", "460100", "500000",
    "520100", "530100", "540100", "610100", "620100", "630100", "640100", "650100",
]


def committed(state: str, **kwargs):
    """bring_to with the after-commit effects run (search index, renditions), as in production."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return bring_to(state, **kwargs)


@pytest.fixture
def make_case(campaign):
    """make_case("published", title=..., region_code=...): through the workflow only."""

    def make(state: str = "published", **fields):
        return committed(state, campaign=campaign, **fields)

    return make


def published_many(campaign, n: int, **fields) -> list:
    return [
        committed("published", campaign=campaign, region_code=REGIONS[i % len(REGIONS)],
                  title=f"数字助老第{i + 1}号案例", **fields)
        for i in range(n)
    ]


def add_images(case, n: int, size=(400, 300)) -> list[CaseImage]:
    """Gallery images added straight to a case (as a correction by the secretariat would)."""
    Image = get_image_model()
    made = []
    for i in range(n):
        image = Image.objects.create(title=f"图{i}", file=ImageFile(_png_file(i, size), name=f"gallery{i}.png"))
        made.append(CaseImage.objects.create(case=case, image=image, alt=f"第{i + 1}张现场照片", sort_order=10 + i))
    return made


def _png_file(i: int, size):
    import io

    return io.BytesIO(png_bytes(size=size, color=(20 * i % 255, 120, 80)))


def add_indicators(case, n: int) -> None:
    for i in range(n):
        CaseIndicator.objects.create(case=case, name=f"指标{i}", value=Decimal(100 + i), unit="人", sort_order=10 + i)


def add_adoptions(case, codes: list[str]) -> list[Adoption]:
    out = []
    for code in codes:
        user = factories.submitter(code, username=f"adopter-{code}")
        out.append(Adoption.objects.create(
            case=case, region=factories.region(code), reported_by=user, since=date(2025, 3, 1),
            summary=f"{code}借鉴了社区课堂和志愿者结对的做法。", results="培训老年人三千人次。",
        ))
    return out


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Wagtail caches renditions by image id; ids repeat after each test's rollback."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
