"""API test helpers: clients signed in with a real token from POST /api/v1/auth/token."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import DEFAULT_PASSWORD

API = "/api/v1"


def sign_in(user, password: str = DEFAULT_PASSWORD) -> APIClient:
    """A client carrying a Bearer token obtained the way an integrating system gets one."""
    client = APIClient()
    response = client.post(f"{API}/auth/token", {"username": user.username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    return client


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


def assert_chinese_error(response, status: int) -> dict:
    """The status, and a `detail` a Chinese reader can act on (docs/api.md §Conventions)."""
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert isinstance(body.get("detail"), str) and body["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]), body
    return body
