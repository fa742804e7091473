"""/stats/: charts and tables of published cases and visible adoptions; the numbers match the database."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseIndicator
from tests.website.conftest import add_adoptions, published_many
from website import stats

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(make_case):
    gd1 = make_case("published", region_code="440100", title="广州银龄课堂", scenarios=["life", "learning"],
                    key_groups=["elderly"])
    gd2 = make_case("published", region_code="440300", title="深圳数字技能培训", scenarios=["work"],
                    key_groups=["workers", "elderly"], task_area="work")
    zj = make_case("published", region_code="330100", title="杭州乡村数字课堂", scenarios=["life"],
                   key_groups=["farmers"])
    notice = make_case("in_notice", region_code="420100", title="武汉公示中的课堂", scenarios=["innovation"],
                       key_groups=["disabled"])
    draft = make_case("draft", region_code="510100", title="成都草稿", key_groups=["veterans"])
    revoked = make_case("disqualified", region_code="320100", title="南京已撤销", key_groups=["women"])
    CaseIndicator.objects.create(case=zj, name="培训人次", value=Decimal("500"), unit="人次", sort_order=5)
    CaseIndicator.objects.create(case=zj, name="满意度", value=Decimal("98"), unit="%", sort_order=6)
    add_adoptions(gd1, ["510100", "510700", "420100"])
    hidden = add_adoptions(zj, ["370100"])[0]
    hidden.hidden = True
    hidden.save()
    return {"gd1": gd1, "gd2": gd2, "zj": zj, "notice": notice, "draft": draft, "revoked": revoked}


def _table(html: str, key: str) -> dict[str, list[str]]:
    """The data table of chart `key`: row header → the row's cells (numbers as shown)."""
    section = html.split(f'<section id="{key}"')[1].split("</section>")[0]
    body = section.split("<tbody>")[1].split("</tbody>")[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        head = re.sub(r"<[^>]+>", "", re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1)).strip()
        rows[head] = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return rows


def test_stats_page_counts_published_cases_only(client, data):
    response = client.get("/stats/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    html = response.content.decode()
    assert _table(html, "province") == {"广东省": ["2"], "浙江省": ["1"]}
    assert _table(html, "scenario") == {"数字生活": ["2"], "数字学习": ["1"], "数字工作": ["1"], "数字创新": ["0"]}
    groups = _table(html, "group")
    assert groups["老年人"] == ["2"] and groups["产业工人"] == ["1"] and groups["农民"] == ["1"]
    for unseen in ("残障人士", "退役军人", "妇女"):  # only the notice, draft and revoked cases have these
        assert groups[unseen] == ["0"]
    assert _table(html, "task")["提升高效率数字工作能力"] == ["1"]
    assert _table(html, "year") == {"2026": ["3", "3"]}  # 示范案例 3, total 3
    for title in ("武汉公示中的课堂", "成都草稿", "南京已撤销"):
        assert title not in html
    assert "湖北省" not in _table(html, "province") and "江苏省" not in _table(html, "province")


def test_numbers_match_the_database(client, data):
    published = Case.objects.filter(status="published")
    collected = stats.collect()
    assert collected.cases == published.count() == 3
    assert collected.provinces == published.values("province").distinct().count() == 2
    by_province = {b.label: b.value for b in collected.charts[0].bars}
    assert by_province == {"广东省": 2, "浙江省": 1}
    html = client.get("/stats/").content.decode()
    counts = re.findall(r"<dd>([\d,]+)<span", html)
    assert counts[:2] == ["3", "2"]


def test_indicator_totals_add_up_same_name_and_unit_of_published_cases(client, data):
    totals = {(t.name, t.unit): (t.total, t.cases) for t in stats.indicator_totals()}
    # 12,000 人次 for each of the three published cases (workflow_paths) plus 500 added to one.
    assert totals[("培训人次", "人次")] == (Decimal("36500"), 3)
    assert ("满意度", "%") not in totals  # percentages don't add up
    html = client.get("/stats/").content.decode()
    assert _table(html, "indicators")["培训人次"] == ["人次", "36,500", "3"]


def test_adoptions_by_province_leave_out_hidden_reports(client, data):
    html = client.get("/stats/").content.decode()
    adoptions = _table(html, "adoptions")
    # Adopting provinces: 四川 (510100 成都, 510700 绵阳) and 湖北 (420100); 山东's report is hidden.
    assert adoptions == {"四川省": ["2", "1", "2"], "湖北省": ["1", "1", "1"]}
    assert "山东省" not in adoptions
    counts = re.findall(r"<dd>([\d,]+)<span", html)
    assert counts[2:] == ["3", "3"]  # reports, adopting regions


def test_adoptions_of_a_case_that_left_published_are_not_counted(client, data):
    from cases import workflow
    from tests import factories

    workflow.transition(case=data["gd1"], name="revoke", by=factories.secretariat(username="sec-s"), reason="撤销")
    html = client.get("/stats/").content.decode()
    section = html.split('<section id="adoptions"')[1].split("</section>")[0]
    assert "<table" not in section and "目前还没有地区报告借鉴推广" in section
    assert stats.collect().adoptions == 0


def test_charts_are_accessible_svg_with_a_table_of_the_same_numbers(client, data):
    html = client.get("/stats/").content.decode()
    assert "<script" not in html.split("<main")[1].split("</main>")[0].replace('<script type="application/ld+json">', "")
    for key in ("province", "scenario", "task", "group", "year", "adoptions"):
        section = html.split(f'<section id="{key}"')[1].split("</section>")[0]
        assert f'<figure class="chart" aria-labelledby="{key}-caption">' in section
        assert f'<figcaption id="{key}-caption">' in section
        assert f'role="img" aria-labelledby="{key}-svg-title {key}-svg-desc"' in section
        assert re.search(rf'<desc id="{key}-svg-desc">共 \d+ 项', section)
        assert '<th scope="col"' in section and '<th scope="row"' in section and "<caption>" in section
    # Stacked series are told apart by pattern, with a legend, not by colour alone.
    year = html.split('<section id="year"')[1].split("</section>")[0]
    assert 'id="year-hatch"' in year and 'class="legend"' in year
    # Bars link to the library filtered the same way (in the table, for keyboard and screen readers).
    assert 'href="/cases/?province=440000"' in html
    # The open-data set described for data-set search engines.
    assert '"@type":"Dataset"' in html and "/cases.csv" in html


def test_empty_site_says_so(client, db):
    response = client.get("/stats/")
    assert response.status_code == 200
    assert "目前还没有正式发布的典型案例" in response.content.decode()


def test_queries_do_not_grow_with_the_number_of_cases(client, campaign):
    cases = published_many(campaign, 2)
    add_adoptions(cases[0], ["510100"])
    with CaptureQueriesContext(connection) as few:
        assert client.get("/stats/").status_code == 200
    more = published_many(campaign, 5)
    add_adoptions(more[-1], ["420100", "370100"])
    with CaptureQueriesContext(connection) as many:
        assert client.get("/stats/").status_code == 200
    assert len(many) == len(few) <= 6
