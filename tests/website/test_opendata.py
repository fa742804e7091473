"""Open data: /cases.csv, /feeds/cases.xml and /sitemap.xml show published cases only (docs/domain.md §3)."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from cases import workflow
from cases.states import CampaignStatus
from tests import factories
from tests.website.conftest import REGIONS, committed, published_many

pytestmark = pytest.mark.django_db

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)|0\d{2,3}-\d{7,8}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture
def cases(campaign, make_case):
    """Published cases beside one in each state the public must never see."""
    return {
        "gd": make_case("published", region_code="440100", title="广州银龄课堂教老年人用智能手机",
                        scenarios=["life"], key_groups=["elderly"]),
        "zj": make_case("published", region_code="330100", title="杭州乡村数字技能培训",
                        scenarios=["work"], key_groups=["farmers"], task_area="work"),
        "notice": make_case("in_notice", region_code="420100", title="武汉公示中的社区课堂"),
        "draft": make_case("draft", region_code="510100", title="成都尚未提交的草稿案例"),
        "revoked": make_case("disqualified", region_code="320100", title="南京已撤销发布的案例"),
    }


HIDDEN = ("notice", "draft", "revoked")


def _csv(response) -> tuple[bytes, list[list[str]]]:
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


# --- /cases.csv ------------------------------------------------------------------------------


def test_csv_is_excel_friendly_and_lists_published_cases_only(client, cases):
    response = client.get("/cases.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"casebook-cases-")
    assert unquote(disposition.split("filename*=UTF-8''")[1]).startswith("典型案例-")
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    body, rows = _csv(response)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    header, data = rows[0], rows[1:]
    assert header[:5] == ["案例编号", "案例名称", "案例摘要", "省份", "所属地区"]
    assert "案例网址" in header and "应用场景" in header and "重点群体" in header
    assert {int(r[0]) for r in data} == {cases["gd"].pk, cases["zj"].pk}
    text = body.decode("utf-8-sig")
    for key in HIDDEN:
        assert cases[key].title not in text
    row = next(dict(zip(header, r, strict=True)) for r in data if int(r[0]) == cases["gd"].pk)
    assert row["省份"] == "广东省" and row["所属地区"] == "广东省广州市"
    assert row["应用场景"] == "数字生活" and row["重点群体"] == "老年人"  # labels, not codes
    assert row["入选等级"] == "示范案例" and row["年度"] == "2026"
    assert row["成效指标"] == "培训人次 12,000 人次"
    assert row["案例网址"] == f"http://testserver/cases/{cases['gd'].pk}/"


def test_csv_never_carries_contact_details(client, cases):
    _body, rows = _csv(client.get("/cases.csv"))
    text = "\n".join(",".join(r) for r in rows)
    assert "王芳" not in text  # the contact person (tests/workflow_paths.py)
    assert not PHONE.search(text), PHONE.search(text)
    assert not EMAIL.search(text), EMAIL.search(text)
    assert "联系" not in ",".join(rows[0])


def test_csv_applies_the_librarys_filters(client, cases):
    def ids(url):
        _body, rows = _csv(client.get(url))
        return {int(r[0]) for r in rows[1:]}

    assert ids("/cases.csv?province=440000") == {cases["gd"].pk}
    assert ids("/cases.csv?scenario=work") == {cases["zj"].pk}
    assert ids("/cases.csv?scenario=life&scenario=work") == {cases["gd"].pk, cases["zj"].pk}
    assert ids("/cases.csv?group=farmers&province=440000") == set()
    assert ids("/cases.csv?q=乡村") == {cases["zj"].pk}
    # A case in notice is never found, even by its own title (published cases sharing a word may be).
    assert cases["notice"].pk not in ids("/cases.csv?q=公示中的社区课堂")
    assert ids(f"/cases.csv?campaign={cases['gd'].campaign.slug}&year=2026&tier=exemplary") == {
        cases["gd"].pk, cases["zj"].pk
    }
    assert ids("/cases.csv?task=work&page=3") == {cases["zj"].pk}  # the library's page number is ignored


@pytest.mark.parametrize("query", ["scenario=bogus", "province=999999", "year=20x5", "sort=best", "q=" + "字" * 201])
def test_csv_refuses_bad_filters_with_a_chinese_message(client, cases, query):
    response = client.get(f"/cases.csv?{query}")
    assert response.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", response.content.decode())


def test_csv_cells_can_never_run_as_formulas(client, make_case):
    make_case("published", title="=HYPERLINK(\"http://evil.example\",\"点我\")",
              summary="+SUM(1,2) 开头像公式的摘要", organisation="@单位", region_code="330100")
    _body, rows = _csv(client.get("/cases.csv"))
    header, row = rows[0], rows[1]
    record = dict(zip(header, row, strict=True))
    assert record["案例名称"].startswith("'=HYPERLINK")
    assert record["案例摘要"].startswith("'+SUM")
    assert record["申报单位"] == "'@单位"
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@")), cell


def test_csv_streams_every_page_in_a_number_of_queries_that_grows_only_per_hundred(client, campaign):
    published_many(campaign, 3)
    with CaptureQueriesContext(connection) as few:
        _body, rows = _csv(client.get("/cases.csv"))
    assert len(rows) == 4
    published_many(campaign, 9)
    with CaptureQueriesContext(connection) as more:
        _body, rows = _csv(client.get("/cases.csv"))
    assert len(rows) == 13
    assert len(more) == len(few)


# --- /feeds/cases.xml ---------------------------------------------------------------------------


def _feed(client):
    response = client.get("/feeds/cases.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return response, ElementTree.fromstring(response.content)  # noqa: S314 (our own response)


def test_feed_is_rss_of_published_cases_newest_first(client, cases):
    response, root = _feed(client)
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert "public" in response["Cache-Control"]
    channel = root.find("channel")
    assert channel.findtext("language") == "zh-cn"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == [cases["zj"].title, cases["gd"].title]
    first = items[1]
    assert first.findtext("link") == f"http://testserver/cases/{cases['gd'].pk}/"
    assert first.findtext("description") == cases["gd"].summary
    assert first.findtext("pubDate")
    categories = [c.text for c in first.findall("category")]
    assert {"数字生活", "老年人", "广东省", "示范案例", "提升高品质数字生活水平"} <= set(categories)
    text = response.content.decode()
    for key in HIDDEN:
        assert cases[key].title not in text
    assert "13800138000" not in text and "@example.cn" not in text


def test_feed_runs_one_query_whatever_the_number_of_cases(client, campaign):
    published_many(campaign, 3)
    with CaptureQueriesContext(connection) as few:
        _feed(client)
    published_many(campaign, 6)
    with CaptureQueriesContext(connection) as more:
        _response, root = _feed(client)
    assert len(root.find("channel").findall("item")) == 9
    assert len(more) == len(few) <= 2


# --- /sitemap.xml -------------------------------------------------------------------------------

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _locations(client) -> set[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own response)
    return {loc.text.removeprefix("http://testserver") for loc in root.findall("s:url/s:loc", NS)}


def test_sitemap_lists_public_pages_and_published_cases_only(client, cases, campaign):
    draft_campaign = factories.CampaignFactory(slug="still-a-draft", status=CampaignStatus.DRAFT)
    locations = _locations(client)
    for path in ("/", "/about/", "/privacy/", "/cases/", "/campaigns/", "/notices/", "/stats/",
                 f"/campaigns/{campaign.slug}/", f"/cases/{cases['gd'].pk}/", f"/cases/{cases['zj'].pk}/"):
        assert path in locations, path
    for key in HIDDEN:
        assert f"/cases/{cases[key].pk}/" not in locations
        assert f"/notices/{cases[key].pk}/" not in locations
    assert f"/campaigns/{draft_campaign.slug}/" not in locations
    assert not any(p.startswith("/admin") for p in locations)


def test_a_revoked_case_leaves_the_feed_and_the_sitemap(client, cases):
    gd = cases["gd"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        workflow.transition(case=gd, name="revoke", by=factories.secretariat(username="sec-revoke"), reason="数据不实")
    assert f"/cases/{gd.pk}/" not in _locations(client)
    _response, root = _feed(client)
    assert gd.title not in [i.findtext("title") for i in root.iter("item")]
    _body, rows = _csv(client.get("/cases.csv"))
    assert str(gd.pk) not in [r[0] for r in rows[1:]]


def test_an_unpublished_case_is_missing_everywhere_even_with_many_published(client, campaign):
    published = published_many(campaign, 3)
    notice = committed("in_notice", campaign=campaign, region_code=REGIONS[5], title="公示期内的案例不外泄")
    _body, rows = _csv(client.get("/cases.csv"))
    assert {int(r[0]) for r in rows[1:]} == {c.pk for c in published}
    assert notice.title not in client.get("/feeds/cases.xml").content.decode()
    assert f"/cases/{notice.pk}/" not in _locations(client)
