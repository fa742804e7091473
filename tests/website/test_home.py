"""The public root `/`: a Wagtail HomePage with counts and the latest published cases only."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from tests.factories import case_in
from website.home import LIBRARY_TOKEN
from website.models import HomePage

pytestmark = pytest.mark.django_db


def test_migration_puts_a_homepage_at_the_site_root():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    # Wagtail's welcome page is gone; the tree is consistent.
    assert not Page.objects.filter(depth=2).exclude(pk=site.root_page.pk).exists()
    assert Page.get_first_root_node().numchild == 1


def test_home_shows_chinese_content_and_published_counts(client, campaign):
    published = case_in("published", campaign=campaign, title="“银龄数字课堂”已发布案例")
    case_in("published", campaign=campaign, region_code="330100", title="浙江已发布案例")

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "最新发布的典型案例" in html
    assert published.title in html and "浙江已发布案例" in html
    counts = response.context["counts"]
    assert counts == {"cases": 2, "provinces": 2, "campaigns": 1, "adoptions": 0}
    assert "广东省 · 广州市" in html


@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "withdrawn", "recommended", "in_notice"])
def test_unpublished_titles_never_appear(client, campaign, state):
    case_in("published", campaign=campaign, title="公开的案例")
    hidden = case_in(state, campaign=campaign, region_code="330100", title=f"不应公开的{state}案例")

    html = client.get("/").content.decode()

    assert "公开的案例" in html
    assert hidden.title not in html
    assert "不应公开" not in html


def test_query_count_does_not_depend_on_number_of_cases(client, campaign):
    case_in("published", campaign=campaign, title="第一个案例")
    client.get("/")  # warm Wagtail's site cache
    cache.delete(LIBRARY_TOKEN)  # the library sections rendered afresh (as after any change: website/home.py)
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for n in range(3):
        case_in("published", campaign=campaign, region_code=("330100", "420100", "510100")[n], title=f"又一个案例{n}")
    # Publishing renewed the token: rendered afresh again, with four cases.
    with CaptureQueriesContext(connection) as four:
        client.get("/")
    assert len(four) == len(one)


def test_footer_shows_icp_number_only_when_set(client, settings):
    settings.CASEBOOK = {**settings.CASEBOOK, "ICP_NUMBER": ""}
    assert "beian.miit.gov.cn" not in client.get("/").content.decode()
    settings.CASEBOOK = {**settings.CASEBOOK, "ICP_NUMBER": "京ICP备12345678号"}
    html = client.get("/").content.decode()
    assert "京ICP备12345678号" in html and "beian.miit.gov.cn" in html
