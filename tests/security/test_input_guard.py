"""The input guard (security/input_guard.py): NUL characters and non-UTF-8 percent-encoding are
a 400 with a Chinese message wherever they arrive, before any view or database query runs.

On PostgreSQL several of these were 500s (``/cases/?province=%00``: text fields cannot contain NUL).
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from security import input_guard
from tests import factories
from tests.api.conftest import API, sign_in
from tests.files import pdf_upload

pytestmark = pytest.mark.django_db


def assert_refused(response, *, api: bool = False) -> str:
    assert response.status_code == 400, response.content[:300]
    if api:
        assert response["Content-Type"] == "application/json"
        message = response.json()["detail"]
    else:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        message = response.content.decode()
    assert "空字符" in message or "编码无效" in message, message
    return message


@pytest.mark.parametrize("url", [
    "/cases/?q=%E6%95%B0%E5%AD%97%00",          # library search
    "/cases/?province=%00",                      # library facet (a 500 on PostgreSQL before)
    "/cases/?scenario=life&scenario=%00",        # a repeated facet
    "/cases/?%00=1",                             # in a parameter's name
    "/cases.csv?q=%00",
    "/notices/?page=%00",
    "/about/?x=%00",                             # a Wagtail page
])
def test_nul_in_a_public_query_string_is_refused(client, url):
    assert "空字符" in assert_refused(client.get(url))


@pytest.mark.parametrize("url", ["/cases/?q=%FF%FE", "/cases/?q=%E6%95", "/cases/?%C0%AF=1"])
def test_query_strings_that_are_not_utf8_are_refused(client, url):
    assert "编码无效" in assert_refused(client.get(url))


def test_well_formed_chinese_queries_still_work(client):
    assert client.get("/cases/?q=%E6%95%B0%E5%AD%97+%E5%8A%A9%E8%80%81&sort=relevance").status_code == 200
    assert client.get("/cases/?q=a%2Bb%26c%3D").status_code == 200  # escaped separators are text


@pytest.mark.parametrize("path", ["/cases/%00/", "/about%00/", "/files/attachments/1%00/", "/%C0%AE%C0%AE/etc/passwd"])
def test_nul_and_bad_encoding_in_the_path_are_refused(client, path):
    assert_refused(client.get(path))


@pytest.mark.parametrize("url", [
    "/admin/cases/?q=%00",
    "/admin/pages/search/?q=%00",
    "/admin/documents/?q=%00",
    "/admin/cases/?status=%00",
])
def test_admin_searches_refuse_nul(client, url):
    client.force_login(factories.secretariat(username="sec-guard"))
    assert_refused(client.get(url))


@pytest.mark.parametrize("url", [
    f"{API}/cases?q=%00",
    f"{API}/cases?province=%00",
    f"{API}/submissions?campaign=%00",
    f"{API}/regions?parent=%FF",
])
def test_api_filters_refuse_nul_and_bad_encoding_as_json(url):
    client = sign_in(factories.submitter("440100", username="sub-guard"))
    response = client.get(url)
    assert_refused(response, api=True)
    if "%00" in url:  # the parameter is named, as the API names fields in its errors
        assert list(response.json()["errors"]) == [url.split("?")[1].split("=")[0]]


def test_nul_in_a_json_body_is_refused_at_any_depth():
    client = sign_in(factories.submitter("440100", username="sub-guard"))
    for body, field in (({"title": "a\x00b"}, "title"), ({"indicators": [{"name": "培训\x00人次"}]}, "indicators"),
                        ({"k\x00": 1}, None)):
        response = client.generic("POST", f"{API}/submissions", json.dumps(body), content_type="application/json")
        assert_refused(response, api=True)
        assert response.json().get("errors") == ({field: [response.json()["detail"]]} if field else None)
    # An escaped backslash is text, not NUL: the API answers it with its own validation.
    response = client.generic("POST", f"{API}/submissions", json.dumps({"title": "\\u0000"}),
                              content_type="application/json")
    assert response.status_code == 400 and "空字符" not in response.json()["detail"]


def test_nul_in_a_posted_form_is_refused(client):
    """The admin sign-in form (urlencoded POST): the username would reach the database."""
    user = factories.secretariat(username="sec-form")
    assert_refused(client.post("/admin/login/", {"username": "sec\x00form", "password": "x"}))
    assert_refused(client.post("/admin/login/", {"username": "sec-form", "pass\x00word": "x"}))
    assert client.post("/admin/login/", {"username": user.username, "password": factories.DEFAULT_PASSWORD}).status_code == 302


def test_nul_in_a_multipart_field_or_file_name_is_refused(client, campaign):
    case = factories.case_in("draft", campaign=campaign)
    client.force_login(factories.submitter("440100", username="sub-440100"))
    url = reverse("cases:files", args=[case.pk])
    response = client.post(url, {"operation": "upload-attachment", "attachment-title": "台账\x00",
                                 "attachment-kind": "evidence", "attachment-file": pdf_upload()})
    assert_refused(response)
    assert case.attachments.count() == 1  # the draft's own
    # Django's multipart parser drops unprintable characters from file names: neutralised.
    named = SimpleUploadedFile("台账\x00.pdf", pdf_upload().read(), content_type="application/pdf")
    response = client.post(url, {"operation": "upload-attachment", "attachment-kind": "evidence",
                                 "attachment-file": named})
    assert response.status_code == 302
    added = case.attachments.order_by("-pk").first()
    assert added.title == "台账" and "\x00" not in added.document.file.name


def test_nul_in_a_cookie_is_refused():
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"  # would reach the session table
    assert_refused(client.get("/cases/"))


def test_the_guard_is_early_in_the_middleware(settings):
    stack = settings.MIDDLEWARE
    guard = stack.index("security.input_guard.InputGuardMiddleware")
    assert guard < stack.index("security.middleware.RateLimitMiddleware")
    assert guard < stack.index("django.contrib.sessions.middleware.SessionMiddleware")


def test_query_pairs_decodes_like_django():
    assert list(input_guard.query_pairs("q=%E6%95%B0+x&b")) == [("q", "数 x"), ("b", "")]
    with pytest.raises(UnicodeDecodeError):
        list(input_guard.query_pairs("q=%E6"))
