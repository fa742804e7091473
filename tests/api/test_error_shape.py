"""Everything under /api/ answers in the API's error shape: no route → JSON 404, a wrong method
→ JSON 405, whatever the method, path and cookies (never Django's HTML CSRF or 404 page)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import submitter

from .conftest import API, assert_chinese_error

pytestmark = pytest.mark.django_db

UNKNOWN = [
    f"{API}/submissions/abc/attachments",
    f"{API}/submissions/1/nothing",
    f"{API}/me/",
    f"{API}/",
    "/api/",
    "/api/v2/cases",
    "/api/v1",
]


@pytest.fixture(params=["anonymous", "session"])
def csrf_client(request, campaign) -> Client:
    """A client that enforces CSRF like a browser does, anonymous or signed in to the admin."""
    client = Client(enforce_csrf_checks=True)
    if request.param == "session":
        client.force_login(submitter("440100", username="sub-440100"))
    return client


@pytest.mark.parametrize("path", UNKNOWN)
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
def test_no_route_is_a_json_404(csrf_client, path, method):
    response = csrf_client.generic(method.upper(), path, "{}", content_type="application/json")
    assert response["Content-Type"].startswith("application/json"), (method, path, response.content[:200])
    body = assert_chinese_error(response, 404)
    assert body["detail"] == "接口地址不存在。"


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", f"{API}/docs"), ("delete", f"{API}/openapi.json"), ("patch", f"{API}/regions"),
     ("post", f"{API}/cases"), ("put", f"{API}/cases/1"), ("put", f"{API}/auth/token"),
     ("put", f"{API}/me"), ("delete", f"{API}/submissions")],
)
def test_a_wrong_method_is_a_json_405(csrf_client, method, path):
    response = csrf_client.generic(method.upper(), path, "{}", content_type="application/json")
    assert response["Content-Type"].startswith("application/json"), (method, path, response.content[:200])
    body = assert_chinese_error(response, 405)
    assert method.upper() in body["detail"]
    assert "GET" in response["Allow"] or "POST" in response["Allow"]
