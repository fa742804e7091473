"""The cache policy (website/cache_policy.py): what shared caches and browsers may keep, and how long."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from tests import factories
from website import cache_policy

pytestmark = pytest.mark.django_db


def _public(browser: int, shared: int) -> str:
    return f"public, max-age={browser}, s-maxage={shared}"


def _private(response) -> bool:
    header = response.get("Cache-Control", "")
    return "private" in header and "no-store" in header and "public" not in header


def test_anonymous_pages_get_a_shared_lifetime_by_kind(client, make_case, campaign):
    case = make_case("published")
    expected = {
        "/": _public(300, 900),
        "/about/": _public(300, 900),
        "/cases/": _public(300, 3600),
        f"/cases/{case.pk}/": _public(300, 6 * 3600),
        "/campaigns/": _public(300, 900),
        f"/campaigns/{campaign.slug}/": _public(300, 900),
        "/notices/": _public(60, 60),
        "/feeds/cases.xml": _public(300, 300),
        "/sitemap.xml": _public(300, 300),
        "/cases.csv": _public(300, 300),
        "/stats/": _public(300, 300),
    }
    for url, header in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == header, url
        assert "Cookie" in response["Vary"], url
        assert not response.cookies, url


def test_any_query_string_caps_both_lifetimes_at_a_minute(client, make_case):
    case = make_case("published")
    for url in ("/cases/?q=银龄", "/cases/?group=elderly&sort=newest", f"/cases/{case.pk}/?from=feed", "/?utm=x"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == _public(60, 60), url


@pytest.mark.parametrize("url", ["/cases/?year=20x5", "/cases/999999/", "/campaigns/no-such-campaign/"])
def test_errors_are_never_kept(client, url):
    response = client.get(url)
    assert response.status_code in (400, 404)
    assert response["Cache-Control"] == cache_policy.PRIVATE


def test_the_notice_page_with_its_form_is_private_and_sets_its_csrf_cookie(client, make_case):
    noticed = make_case("in_notice")
    response = client.get(f"/notices/{noticed.pk}/")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert _private(response)


def test_signed_in_users_are_never_cached(client, make_case):
    case = make_case("published")
    client.force_login(factories.secretariat(username="cache-staff"))
    for url in ("/", "/cases/", f"/cases/{case.pk}/", "/feeds/cases.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _private(response), url


def test_a_session_cookie_or_authorization_header_makes_the_answer_private(make_case):
    make_case("published")
    stale_session = Client()
    stale_session.cookies["sessionid"] = "no-such-session"
    assert stale_session.get("/")["Cache-Control"] == cache_policy.PRIVATE
    assert Client().get("/cases/", HTTP_AUTHORIZATION="Bearer x")["Cache-Control"] == cache_policy.PRIVATE


def test_the_api_with_a_token_is_private_and_without_one_is_not_made_public(client, make_case):
    make_case("published")
    anonymous = client.get("/api/v1/cases")
    assert anonymous.status_code == 200
    assert "public" not in anonymous.get("Cache-Control", "")
    with_token = client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer not-a-valid-token")
    assert with_token["Cache-Control"] == cache_policy.PRIVATE


def test_posts_and_cookie_setting_answers_are_private(client, make_case):
    case = make_case("published")
    assert _private(client.post(f"/cases/{case.pk}/", {}))
    switch = client.get("/display/", {"text": "large", "next": "/"})
    assert switch.cookies["cb_text"].value == "large"
    assert _private(switch)


def test_a_public_view_response_that_sets_a_cookie_is_made_private():
    request = RequestFactory().get("/cases/")
    request.resolver_match = type("Match", (), {"view_name": "website:library"})()
    response = HttpResponse("ok")
    response["Cache-Control"] = "public, max-age=300"
    response.set_cookie("tracking", "1")
    assert cache_policy.apply(request, response)["Cache-Control"] == cache_policy.PRIVATE


def test_a_short_lifetime_asked_by_the_view_holds_for_shared_caches_too():
    request = RequestFactory().get("/campaigns/x/compilation.pdf")
    request.resolver_match = type("Match", (), {"view_name": "opendata:compilation"})()
    response = HttpResponse("pdf")
    response["Cache-Control"] = "public, max-age=60"
    assert cache_policy.apply(request, response)["Cache-Control"] == _public(60, 60)


def test_case_files_keep_their_own_headers(client):
    request = RequestFactory().get("/files/images/1/fill-320x180/")
    request.resolver_match = type("Match", (), {"view_name": "case_files:image"})()
    response = HttpResponse(b"png")
    response["Cache-Control"] = "public, max-age=86400"
    assert cache_policy.apply(request, response)["Cache-Control"] == "public, max-age=86400"
