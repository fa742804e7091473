"""The public case page /cases/<id>/: every public field, gallery, metadata, adoptions and related cases."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.adoptions import hide_adoption
from cases.models import Adoption
from tests import factories
from tests.website.conftest import add_adoptions, add_images

pytestmark = pytest.mark.django_db


def test_shows_every_public_field(client, make_case):
    case = make_case("published", title="“银龄数字课堂”社区助老", special_project="accessibility")
    html = client.get(f"/cases/{case.pk}/").content.decode()
    for text in (
        case.title, case.summary, case.background, case.approach, case.outcomes, case.lessons, case.replicability,
        "广东省 · 广州市", case.campaign.title, "示范案例", "越秀区委网信办", "党政机关", "2024年3月",
        "数字生活", "数字学习", "提升高品质数字生活水平", "老年人", "数字社会无障碍和适老化改造提升工程",
        "可复制推广",
    ):
        assert text in html, text
    assert f'href="/campaigns/{case.campaign.slug}/"' in html
    assert 'href="/cases/?scenario=life"' in html


def test_indicators_are_a_table(client, make_case):
    case = make_case("published")
    html = client.get(f"/cases/{case.pk}/").content.decode()
    table = html[html.index('<table class="indicators">'):html.index("</table>")]
    assert '<th scope="col">指标</th>' in table
    assert '<th scope="row">培训人次</th><td class="num">12,000</td><td class="unit">人次</td><td class="num">3,000</td>' in table


def test_gallery_has_responsive_renditions_and_alt_text(client, make_case):
    case = make_case("published")
    extra = add_images(case, 2)
    (large,) = add_images(case, 1, size=(1600, 1200))
    html = client.get(f"/cases/{case.pk}/").content.decode()
    cover = case.images.order_by("sort_order", "pk").first()
    # The cover (64×48) is smaller than both boxes: one size, listed once.
    assert f'srcset="/files/images/{cover.pk}/max-800x600/ 64w"' in html
    assert 'alt="志愿者指导老人使用智能手机"' in html
    assert (f'srcset="/files/images/{large.pk}/max-800x600/ 800w, /files/images/{large.pk}/max-1200x900/ 1200w"'
            in html)
    assert re.search(rf'/files/images/{large.pk}/max-800x600/" srcset="[^"]+" sizes="[^"]+" width="800" height="600"', html)
    for image in extra:
        assert f'alt="{image.alt}"' in html
        # 400×300 fits in 800×600 unscaled: the real size is given, so nothing jumps while loading.
        assert re.search(rf'/files/images/{image.pk}/max-800x600/" srcset="[^"]+" sizes="[^"]+" width="400" height="300"', html)
    assert all(img.count("alt=") == 1 for img in re.findall(r"<img [^>]+>", html))


def test_open_graph_and_json_ld(client, make_case):
    case = make_case("published", title="“银龄数字课堂”</script><b>社区助老")
    html = client.get(f"/cases/{case.pk}/").content.decode()
    head = html[: html.index("</head>")]
    assert '<meta property="og:type" content="article">' in head
    assert '<meta property="og:title" content="“银龄数字课堂”&lt;/script&gt;&lt;b&gt;社区助老">' in head
    assert f'<meta property="og:url" content="http://testserver/cases/{case.pk}/">' in head
    cover = case.images.first()
    assert f'<meta property="og:image" content="http://testserver/files/images/{cover.pk}/fill-960x540/">' in head
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org" and data["@type"] == "Article"
    assert data["headline"] == case.title
    assert data["inLanguage"] == "zh-Hans"
    assert data["isPartOf"]["name"] == case.campaign.title
    assert data["image"].endswith(f"/files/images/{cover.pk}/fill-960x540/")
    assert "contact" not in blocks[0] and "13800138000" not in blocks[0]


def test_print_stylesheet_is_linked(client, make_case):
    case = make_case("published")
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/website/print.css" media="print">', html)


def test_adoptions_list_counts_regions_and_hides_hidden_reports(client, make_case):
    case = make_case("published")
    shown, hidden = add_adoptions(case, ["330100", "420100"])
    add_adoptions(case, ["330200"])  # a second region of Zhejiang
    hide_adoption(adoption_id=hidden.pk, by=factories.secretariat(username="sec"), reason="重复报告")
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "已有 2 个地区借鉴" in html  # Hangzhou and Ningbo; Wuhan's report is hidden
    assert "浙江省 · 杭州市" in html and shown.summary in html
    assert hidden.summary not in html


def test_related_cases_come_from_the_search(client, make_case):
    case = make_case("published", title="广州银龄课堂")
    other = make_case("published", region_code="330100", title="杭州银龄课堂")
    html = client.get(f"/cases/{case.pk}/").content.decode()
    related = html[html.index('id="related"'):]
    assert other.title in related and f"/cases/{case.pk}/" not in related


# --- adoption reports through the page -------------------------------------------------------


@pytest.fixture
def adopter(client):
    user = factories.submitter("330100", username="hz-submitter")
    client.force_login(user)
    return user


def test_anonymous_visitors_are_invited_to_sign_in(client, make_case):
    case = make_case("published")
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "登录后报告借鉴情况" in html
    assert "csrfmiddlewaretoken" not in html


def test_submitter_of_another_region_reports_and_sees_it_on_the_page(client, make_case, adopter):
    case = make_case("published")
    page = client.get(f"/cases/{case.pk}/")
    assert "报告本地区的借鉴情况" in page.content.decode()
    response = client.post(f"/cases/{case.pk}/", {
        "since": (timezone.localdate() - timedelta(days=30)).isoformat(),
        "summary": "借鉴银龄课堂做法，在杭州社区开设智能手机培训班。", "results": "培训老年人八百人次。",
    })
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/?reported=1#adoptions"
    html = client.get(response["Location"]).content.decode()
    assert "感谢报告" in html
    assert "已有 1 个地区借鉴" in html and "借鉴银龄课堂做法，在杭州社区开设智能手机培训班。" in html
    adoption = Adoption.objects.get()
    assert adoption.region_id == "330100" and adoption.reported_by == adopter


def test_adoption_errors_are_chinese_and_keep_the_input(client, make_case, adopter):
    case = make_case("published")
    response = client.post(f"/cases/{case.pk}/", {"since": "明天", "summary": "太短", "results": "培训老年人八百人次。"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写开始借鉴的日期" in html and "请用 10 至 1000 字说明借鉴了哪些做法" in html
    assert "提交未成功，请修改以下内容" in html
    assert "太短</textarea>" in html and "培训老年人八百人次。</textarea>" in html
    assert 'aria-invalid="true"' in html
    future = client.post(f"/cases/{case.pk}/", {"since": (date.today() + timedelta(days=30)).isoformat(),
                                                "summary": "借鉴银龄课堂做法，开设智能手机培训班。"})
    assert "开始借鉴的日期不能晚于今天" in future.content.decode()
    assert not Adoption.objects.exists()


def test_own_region_and_other_roles_get_no_form(client, make_case):
    case = make_case("published")
    client.force_login(factories.submitter("440100", username="gz-submitter"))
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "报告本地区的借鉴情况" not in html
    refused = client.post(f"/cases/{case.pk}/", {"since": "2025-01-01", "summary": "借鉴了很多很多做法和经验。"})
    assert refused.status_code == 403 and "没有报告该案例借鉴情况的权限" in refused.content.decode()
    client.force_login(factories.reviewer("110000", username="reviewer-x"))
    assert "报告本地区的借鉴情况" not in client.get(f"/cases/{case.pk}/").content.decode()
    assert not Adoption.objects.exists()


def test_recommender_of_another_province_may_report(client, make_case):
    case = make_case("published")
    client.force_login(factories.recommender("330000", username="zj-recommender"))
    response = client.post(f"/cases/{case.pk}/", {"since": "2025-05-01", "summary": "全省推广银龄课堂做法，覆盖十一个市。"})
    assert response.status_code == 302
    assert Adoption.objects.get().region_id == "330000"
