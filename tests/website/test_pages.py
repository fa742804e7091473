"""Every public page type renders with data, in Chinese, with the shared layout."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from website.models import HomePage, PrivacyPage, StandardPage

pytestmark = pytest.mark.django_db


def test_about_and_privacy_are_wagtail_pages_under_home():
    home = HomePage.objects.get()
    about = StandardPage.objects.get(slug="about")
    privacy = PrivacyPage.objects.get(slug="privacy")
    assert about.get_parent().pk == home.pk and privacy.get_parent().pk == home.pk
    assert about.url == "/about/" and privacy.url == "/privacy/"
    assert Page.objects.get(pk=home.pk).numchild == 2


def test_every_page_type_renders(client, make_case, campaign):
    published = make_case("published", title="“银龄数字课堂”已发布")
    noticed = make_case("in_notice", region_code="330100", title="杭州公示中的案例")
    pages = {
        "/": "最新发布的典型案例",
        "/cases/": published.title,
        "/cases/?q=银龄": "<mark>银龄</mark>",
        "/cases/?q=完全不存在的词语组合": "没有找到符合条件的案例",
        f"/cases/{published.pk}/": "可复制推广",
        "/campaigns/": campaign.title,
        f"/campaigns/{campaign.slug}/": "入选结果",
        "/notices/": noticed.title,
        f"/notices/{noticed.pk}/": "提出异议",
        "/about/": "关于本站",
        "/privacy/": "保存期限",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert text in html, url
        assert '<html lang="zh-Hans"' in html, url
        assert 'href="#main"' in html and 'id="main"' in html, url
        assert "主办单位" in html, url


def test_privacy_page_states_the_retention_period_from_settings(client, settings):
    settings.CASEBOOK = {**settings.CASEBOOK, "OBJECTION_RETENTION_DAYS": 90}
    html = client.get("/privacy/").content.decode()
    assert "保存 90 天" in html


def test_footer_operator_from_settings(client, settings):
    settings.CASEBOOK = {**settings.CASEBOOK, "OPERATOR": "某某省委网信办"}
    assert "主办单位：某某省委网信办" in client.get("/about/").content.decode()


def test_unknown_pages_are_a_friendly_404(client):
    response = client.get("/cases/999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert client.get("/campaigns/no-such-campaign/").status_code == 404
    assert client.get("/notices/999999/").status_code == 404


def test_home_lists_featured_first_tier_and_open_campaigns(client, make_case, campaign):
    exemplary = make_case("published", title="示范级案例")  # the workflow paths shortlist as `exemplary`
    html = client.get("/").content.decode()
    featured = html.index("示范案例</h2>")
    assert html.index(exemplary.title) > featured
    assert "正在征集" in html and campaign.title in html and "申报截止" in html


def test_campaign_page_shows_call_timeline_results_by_tier_and_compilation_link(client, make_case, campaign):
    campaign.call_text = "<p>现面向各地区征集典型案例。</p>"
    campaign.save()
    case = make_case("published", title="入选的案例")
    html = client.get(f"/campaigns/{campaign.slug}/").content.decode()
    assert "现面向各地区征集典型案例。" in html
    for step in ("案例申报", "专家评审", "社会公示", "结果发布"):
        assert step in html
    assert "示范案例" in html and case.title in html
    assert f'href="/campaigns/{campaign.slug}/compilation.pdf"' in html
    assert f'href="/cases.csv?campaign={campaign.slug}"' in html


def test_draft_campaigns_are_not_public(client):
    from tests.factories import CampaignFactory

    draft = CampaignFactory(status="draft", title="筹备中的活动")
    assert client.get(f"/campaigns/{draft.slug}/").status_code == 404
    assert "筹备中的活动" not in client.get("/campaigns/").content.decode()
