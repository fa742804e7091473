"""适老化 display switch without JavaScript; cache headers; query counts; renditions made on publish."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.website.conftest import add_adoptions, add_images, add_indicators, published_many

pytestmark = pytest.mark.django_db


# --- display switch ------------------------------------------------------------------------


def test_switch_links_work_without_javascript(client):
    html = client.get("/cases/", {"q": "老年人"}).content.decode()
    assert 'href="/display/?text=large&amp;next=%2Fcases%2F%3Fq%3D%25E8%2580%2581%25E5%25B9%25B4%25E4%25BA%25BA"' in html
    assert 'href="/display/?contrast=high&amp;next=' in html

    response = client.get("/display/", {"text": "large", "next": "/cases/?q=老年人"})
    assert response.status_code == 302 and response["Location"] == "/cases/?q=%E8%80%81%E5%B9%B4%E4%BA%BA"
    assert response.cookies["cb_text"].value == "large"
    assert response.cookies["cb_text"]["max-age"] == 365 * 24 * 3600
    assert "no-store" in response["Cache-Control"]

    # The choice holds on every following page, rendered by the server from the first paint.
    for url in ("/", "/cases/", "/about/"):
        page = client.get(url).content.decode()
        assert '<html lang="zh-Hans" class="text-large">' in page, url
        assert ">标准字号</a>" in page, url

    client.get("/display/", {"contrast": "high", "next": "/"})
    assert '<html lang="zh-Hans" class="text-large contrast-high">' in client.get("/").content.decode()

    back = client.get("/display/", {"text": "normal", "contrast": "normal", "next": "/"})
    assert back.cookies["cb_text"]["max-age"] == 0 and back.cookies["cb_contrast"]["max-age"] == 0


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_switch_only_returns_to_this_site(client, target):
    response = client.get("/display/", {"text": "large", "next": target})
    assert response["Location"] == "/"


def test_large_text_css_rules():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "website/static/website/site.css").read_text()
    assert "html.text-large { font-size: 137.5%; }" in css  # 22px: at least 18px
    assert "html.text-large body { line-height: 1.8; }" in css
    assert "html.contrast-high {" in css
    assert "url(http" not in css and "@import" not in css  # self-contained: no remote fonts or styles


# --- cache headers -------------------------------------------------------------------------


def test_anonymous_published_pages_are_publicly_cacheable(client, make_case, campaign):
    case = make_case("published")
    for url in ("/", "/cases/", "/cases/?q=银龄", f"/cases/{case.pk}/", "/campaigns/", f"/campaigns/{campaign.slug}/",
                "/notices/", "/about/", "/privacy/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"].startswith("public, max-age="), url  # lifetimes: test_cache_policy.py
        assert "Cookie" in response["Vary"], url


def test_pages_with_forms_for_signed_in_users_are_private(client, make_case):
    case = make_case("published")
    client.force_login(factories.submitter("330100", username="hz"))
    response = client.get(f"/cases/{case.pk}/")
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "public" not in client.get("/").get("Cache-Control", "")


# --- query counts ---------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    client.get(url)  # warm the site and content-type caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_library_query_count_does_not_grow_with_cases_or_page_size(client, campaign):
    published_many(campaign, 5, key_groups=["elderly"])
    five = {url: _queries(client, url) for url in ("/cases/", "/cases/?q=老年人", "/cases/?group=elderly&sort=newest")}
    published_many(campaign, 20, key_groups=["elderly"])
    twenty_five = {url: _queries(client, url) for url in five}
    assert twenty_five == five
    assert max(five.values()) <= 20


def test_case_page_query_count_does_not_grow_with_images_indicators_or_adoptions(client, campaign, make_case):
    small = make_case("published", title="小案例")
    published_many(campaign, 4)
    small_count = _queries(client, f"/cases/{small.pk}/")

    big = make_case("published", region_code="330100", title="大案例")
    add_images(big, 6)
    add_indicators(big, 12)
    add_adoptions(big, ["420100", "510100", "320100", "370100"])
    published_many(campaign, 20)
    assert _queries(client, f"/cases/{big.pk}/") == small_count
    assert small_count <= 20


def test_home_campaign_and_notice_pages_have_fixed_query_counts(client, campaign, make_case):
    make_case("in_notice", title="公示一")
    published_many(campaign, 3)
    before = {url: _queries(client, url) for url in ("/", f"/campaigns/{campaign.slug}/", "/notices/", "/campaigns/")}
    make_case("in_notice", region_code="330100", title="公示二")
    published_many(campaign, 10)
    after = {url: _queries(client, url) for url in before}
    assert after == before


# --- renditions on publish --------------------------------------------------------------------


def test_publishing_makes_the_renditions_the_pages_use(make_case):
    from website.renditions import SPECS

    case = make_case("published")
    image = case.images.get().image
    made = set(image.renditions.values_list("filter_spec", flat=True))
    assert made >= set(SPECS)


def test_cases_not_published_get_no_renditions(make_case):
    case = make_case("in_notice")
    assert not case.images.get().image.renditions.exists()


def test_image_added_to_a_published_case_gets_renditions(make_case, django_capture_on_commit_callbacks):
    from website.renditions import SPECS

    case = make_case("published")
    with django_capture_on_commit_callbacks(execute=True):
        (added,) = add_images(case, 1)
    assert set(added.image.renditions.values_list("filter_spec", flat=True)) >= set(SPECS)


def test_broken_image_file_does_not_break_publishing(make_case):
    from website.renditions import make_case_renditions

    case = make_case("published")
    image = case.images.get().image
    image.file.storage.delete(image.file.name)
    image.renditions.all().delete()
    assert make_case_renditions.call(case.pk) == 0
