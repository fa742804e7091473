"""A campaign's cases and the 公示 list come 20 to a page, with one shared, accessible page nav.

One case of each kind goes through the workflow; the others are copies of its row (the list
pages read only the case rows, so copies are enough to fill pages quickly).
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from website.views import LIST_PAGE_SIZE

pytestmark = pytest.mark.django_db

ITEM = {"campaign": re.compile(r'<li><a href="/cases/(\d+)/">'), "notices": re.compile(r'<h2 id="n-(\d+)">')}


def copies(case: Case, n: int, *, start: int = 1) -> list[int]:
    """`n` more rows like `case`, titled 复制案例{i} (same state, campaign, region, tier, dates)."""
    made = []
    for i in range(start, start + n):
        row = Case.objects.get(pk=case.pk)
        row.pk = None
        row._state.adding = True
        row.title = f"复制案例{i:03d}"
        row.save()
        made.append(row.pk)
    return made


def nav(html: str) -> str:
    found = re.search(r'<nav class="pagination".*?</nav>', html, re.S)
    return found.group(0) if found else ""


def hrefs(fragment: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', fragment)]


def _queries(client, url: str) -> int:
    client.get(url)  # warm per-process caches (Wagtail site, settings)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


@pytest.fixture
def campaign_cases(campaign, make_case):
    """25 published cases: page 1 holds 20, page 2 the last 5."""
    first = make_case("published", title="数字助老第一号案例")
    copies(first, 24)
    return campaign


@pytest.fixture
def noticed_cases(make_case):
    first = make_case("in_notice", title="公示中的银龄课堂")
    copies(first, 24)
    return first


# --- campaign page ---------------------------------------------------------------------------


def test_campaign_first_page_keeps_the_results_summary_and_shows_twenty_cases(client, campaign_cases):
    url = f"/campaigns/{campaign_cases.slug}/"
    html = client.get(url).content.decode()
    assert LIST_PAGE_SIZE == 20
    assert "共发布 25 个典型案例。" in html
    tier = Case.objects.filter(campaign=campaign_cases).first().tier
    assert f"{tier.title}</a>：25 个" in html  # the count per tier, linked to the library
    assert f'href="/cases/?campaign={campaign_cases.slug}&amp;tier={tier.code}"' in html
    assert f'href="/cases/?campaign={campaign_cases.slug}"' in html  # the library filtered by this campaign
    assert "第 1–20 个，共 25 个（第 1 页，共 2 页）" in html
    assert len(ITEM["campaign"].findall(html)) == 20
    pages = nav(html)
    assert 'aria-label="分页"' in pages
    assert f'<a href="{url}#cases" aria-current="page">' in pages
    assert '<a href="?page=2#cases" rel="next">下一页</a>' in pages
    assert "上一页" not in pages


def test_campaign_last_page_shows_the_rest_and_links_back(client, campaign_cases):
    url = f"/campaigns/{campaign_cases.slug}/"
    first = ITEM["campaign"].findall(client.get(url).content.decode())
    response = client.get(url + "?page=2")
    html = response.content.decode()
    assert response.status_code == 200
    last = ITEM["campaign"].findall(html)
    assert len(last) == 5 and not set(first) & set(last)
    assert "第 21–25 个，共 25 个（第 2 页，共 2 页）" in html
    pages = nav(html)
    assert '<a href="?page=2#cases" aria-current="page">' in pages
    # Back to page 1 is the bare path: the URL the front cache purges, without "?page=1".
    assert f'<a href="{url}#cases" rel="prev">上一页</a>' in pages
    assert "下一页" not in pages
    assert "共发布 25 个典型案例。" in html  # the summary is on every page


def test_a_campaign_with_one_page_has_no_page_nav(client, campaign, make_case):
    make_case("published", title="唯一案例")
    html = client.get(f"/campaigns/{campaign.slug}/").content.decode()
    assert "唯一案例" in html and nav(html) == ""


@pytest.mark.parametrize("page", ["abc", "0", "-1", "3", "99999", "1234567", "1.5", "²", "١"])
def test_campaign_page_that_does_not_exist_is_a_clear_404(client, campaign_cases, page):
    url = f"/campaigns/{campaign_cases.slug}/"
    response = client.get(url, {"page": page})
    html = response.content.decode()
    assert response.status_code == 404
    assert "您要找的页码不存在。本活动的案例名单共 2 页。" in html
    assert f'href="{url}#cases"' in html and 'href="?page=2#cases"' in html
    assert "共发布 25 个典型案例。" in html  # still the campaign's page, not a dead end
    assert response["Cache-Control"] == "private, no-store"


def test_a_nul_byte_in_the_page_number_is_refused_in_chinese(client, campaign_cases):
    response = client.get(f"/campaigns/{campaign_cases.slug}/?page=%00")
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


def test_page_links_keep_the_other_parameters_and_the_display_mode(client, campaign_cases):
    client.cookies["cb_text"] = "large"
    client.cookies["cb_contrast"] = "high"
    html = client.get(f"/campaigns/{campaign_cases.slug}/", {"page": "2", "from": "首页"}).content.decode()
    assert re.search(r'<html[^>]*class="[^"]*text-large[^"]*contrast-high', html)
    links = hrefs(nav(html))
    assert links and all("from=%E9%A6%96%E9%A1%B5" in h for h in links)
    assert "?from=%E9%A6%96%E9%A1%B5#cases" in links  # page 1: the other parameter, no page=1


def test_later_pages_get_the_short_lifetime_of_urls_with_a_query(client, campaign_cases):
    url = f"/campaigns/{campaign_cases.slug}/"
    assert client.get(url)["Cache-Control"] == "public, max-age=300, s-maxage=900"
    assert client.get(url + "?page=2")["Cache-Control"] == "public, max-age=60, s-maxage=60"


def test_campaign_page_query_count_does_not_grow_with_the_cases(client, campaign, make_case):
    first = make_case("published", title="数字助老第一号案例")
    url = f"/campaigns/{campaign.slug}/"
    small = _queries(client, url)
    copies(first, 2 * LIST_PAGE_SIZE + 5)
    assert _queries(client, url) == small
    assert _queries(client, url + "?page=3") == small
    assert small <= 10


# --- 公示 list ---------------------------------------------------------------------------------


def test_notice_pages_keep_the_countdown_and_the_link_to_each_objection_form(client, noticed_cases):
    html = client.get("/notices/").content.decode()
    ids = ITEM["notices"].findall(html)
    assert len(ids) == 20
    assert "正在公示 25 个案例，这是第 1–20 个（第 1 页，共 2 页）。" in html
    assert html.count('class="countdown"') == 20
    assert all(f'href="/notices/{pk}/"' in html for pk in ids)
    assert '<a href="?page=2" rel="next">下一页</a>' in nav(html)

    html = client.get("/notices/?page=2").content.decode()
    rest = ITEM["notices"].findall(html)
    assert len(rest) == 5 and not set(ids) & set(rest)
    assert "第 21–25 个（第 2 页，共 2 页）" in html
    assert '<a href="/notices/" rel="prev">上一页</a>' in nav(html)
    assert '<a href="?page=2" aria-current="page">' in nav(html)


def test_notices_keep_the_soonest_to_close_first_across_pages(client, noticed_cases):
    ordered = [str(pk) for pk in Case.objects.filter(status="in_notice").order_by("notice_ends", "pk")
               .values_list("pk", flat=True)]
    shown = ITEM["notices"].findall(client.get("/notices/").content.decode())
    shown += ITEM["notices"].findall(client.get("/notices/?page=2").content.decode())
    assert shown == ordered


@pytest.mark.parametrize("page", ["abc", "0", "3", "99999", "²"])
def test_notice_page_that_does_not_exist_is_a_clear_404(client, noticed_cases, page):
    response = client.get("/notices/", {"page": page})
    html = response.content.decode()
    assert response.status_code == 404
    assert "您要找的页码不存在。公示名单共 2 页。" in html
    assert 'href="/notices/"' in html and 'href="?page=2"' in html


def test_an_empty_notice_list_says_so_and_other_pages_do_not_exist(client, db):
    assert "当前没有正在公示的案例。" in client.get("/notices/").content.decode()
    assert client.get("/notices/?page=2").status_code == 404


def test_notice_list_query_count_does_not_grow_with_the_cases(client, make_case):
    first = make_case("in_notice", title="公示中的银龄课堂")
    small = _queries(client, "/notices/")
    copies(first, 2 * LIST_PAGE_SIZE + 5)
    assert _queries(client, "/notices/") == small
    assert _queries(client, "/notices/?page=3") == small
    assert small <= 5
