"""The library /cases/: search, facets as checkboxes, shareable URLs, helpful errors and empty states."""

from __future__ import annotations

import re

import pytest

from tests.website.conftest import published_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(make_case):
    return {
        "gd": make_case("published", region_code="440100", title="广州银龄课堂教老年人用智能手机",
                        scenarios=["life"], key_groups=["elderly"]),
        "zj": make_case("published", region_code="330100", title="杭州乡村数字技能培训",
                        scenarios=["work"], key_groups=["farmers"], task_area="work"),
    }


def test_lists_published_cases_with_facets_as_checkboxes_in_a_get_form(client, library):
    html = client.get("/cases/").content.decode()
    assert '<form method="get" action="/cases/"' in html
    assert library["gd"].title in html and library["zj"].title in html
    for legend in ("征集活动", "年度", "省份", "应用场景", "主要任务", "重点群体", "入选等级"):
        assert f"<summary>{legend}" in html
    assert re.search(r'type="checkbox" name="province" value="440000"', html)
    assert "广东省 <span class=\"count\">（1）</span>" in html


def test_every_state_is_a_shareable_url(client, library):
    response = client.get("/cases/?q=老年人&province=440000&scenario=life")
    html = response.content.decode()
    assert response.status_code == 200
    # 银龄 is marked too: the dictionary expands 老年人 to it (search/data/synonyms.txt).
    assert "广州<mark>银龄</mark>课堂教<mark>老年人</mark>用智能手机" in html
    assert library["zj"].title not in html
    assert re.search(r'name="province" value="440000" id="[^"]+" checked', html)
    assert re.search(r'name="scenario" value="life" id="[^"]+" checked', html)
    assert 'value="老年人"' in html
    # Each active filter can be removed with one link that keeps the rest of the state.
    assert 'href="?q=%E8%80%81%E5%B9%B4%E4%BA%BA&amp;scenario=life"' in html
    # The CSV of the same selection (the open-data route), without the page number.
    assert "/cases.csv?q=%E8%80%81%E5%B9%B4%E4%BA%BA&amp;province=440000&amp;scenario=life" in html


def test_filters_combine_and_sort_newest(client, library):
    html = client.get("/cases/?scenario=life&scenario=work&sort=newest").content.decode()
    assert library["gd"].title in html and library["zj"].title in html
    assert html.index(library["zj"].title) < html.index(library["gd"].title)  # zj published later


def test_highlights_are_the_backends_escaped_html(client, make_case):
    make_case("published", title="<script>alert(1)</script>老年人课堂")
    html = client.get("/cases/?q=老年人").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>老年人</mark>课堂" in html


def test_empty_result_suggests_removing_filters_and_popular_topics(client, library):
    html = client.get("/cases/?q=广州&province=330000").content.decode()
    assert "没有找到符合条件的案例" in html
    assert "去掉“省份：浙江省”" in html
    assert "只按检索词查找，不加筛选" in html
    assert "热门主题" in html and "/cases/?group=elderly" in html
    assert "大家常搜" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("q=" + "长" * 201, "检索词不能超过 200 个字"),
        ("page=abc", "页码必须是正整数"),
        ("page=0", "页码必须是正整数"),
        ("province=999999", "未知的省份"),
        ("scenario=moon", "未知的应用场景"),
        ("year=20x5", "年度必须是四位数字"),
        ("sort=random", "排序方式只能是"),
    ],
)
def test_invalid_input_is_a_clear_message_not_a_500(client, library, query, message):
    response = client.get(f"/cases/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "无法完成检索" in html and message in html
    assert 'href="/cases/"' in html


@pytest.mark.parametrize("page", [3, 999, 600000])
def test_a_page_past_the_search_depth_reads_like_any_page_past_the_end(client, library, page):
    """Page 999 is past the deepest page a search reaches (10000 results) and past the end of
    these results: the same "没有第 N 页…共 M 页" as page 3, not the depth limit (issue 16)."""
    response = client.get(f"/cases/?page={page}")
    html = response.content.decode()
    assert response.status_code == 404
    assert f"没有第 {page} 页，检索结果共 1 页。" in html and "最多只能翻到" not in html


def test_page_after_the_last_says_so(client, library):
    response = client.get("/cases/?page=3")
    assert response.status_code == 404
    html = response.content.decode()
    assert "没有第 3 页，检索结果共 1 页。" in html
    assert "前往最后一页" in html


def test_pagination_links_keep_the_state(client, campaign):
    published_many(campaign, 22, key_groups=["elderly"])
    html = client.get("/cases/?group=elderly").content.decode()
    assert html.count('class="result"') == 20
    assert 'href="?group=elderly&amp;page=2" rel="next"' in html
    page2 = client.get("/cases/?group=elderly&page=2").content.decode()
    assert page2.count('class="result"') == 2
    assert '<ol class="result-list" start="21">' in page2
    assert 'href="?group=elderly" rel="prev"' in page2
    assert 'aria-current="page"><span class="visually-hidden">第</span>2' in page2


def test_selected_value_without_results_stays_visible_and_checked(client, library):
    html = client.get("/cases/?q=杭州&province=440000").content.decode()
    assert re.search(r'name="province" value="440000" id="[^"]+" checked', html)
