"""POST/DELETE /auth/token and GET /me: tokens expire, die with their user, one message for bad logins."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from accounts.models import AccessToken
from tests.factories import recommender, secretariat, submitter

from .conftest import API, assert_chinese_error, sign_in

pytestmark = pytest.mark.django_db


def test_token_is_issued_and_works(settings):
    user = submitter("440100", username="gz")
    response = APIClient().post(
        f"{API}/auth/token", {"username": "gz", "password": "Casebook-2026!"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    expires = parse_datetime(body["expires_at"])
    assert body["expires_at"].endswith("+08:00")
    hours = settings.CASEBOOK["API_TOKEN_HOURS"]
    assert abs(expires - (timezone.now() + timedelta(hours=hours))) < timedelta(minutes=1)
    # Only the hash is stored.
    assert not AccessToken.objects.filter(key_hash=body["token"]).exists()

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert client.get(f"{API}/me").json()["username"] == user.username


def test_unknown_user_and_wrong_password_get_the_same_401():
    submitter("440100", username="gz")
    wrong_password = APIClient().post(f"{API}/auth/token", {"username": "gz", "password": "nope"}, format="json")
    unknown_user = APIClient().post(f"{API}/auth/token", {"username": "ghost", "password": "nope"}, format="json")
    assert_chinese_error(wrong_password, 401)
    assert_chinese_error(unknown_user, 401)
    assert wrong_password.json() == unknown_user.json() == {"detail": "用户名或密码错误。"}
    assert AccessToken.objects.count() == 0


def test_inactive_user_is_refused_like_a_wrong_password():
    submitter("440100", username="gone", is_active=False)
    response = APIClient().post(
        f"{API}/auth/token", {"username": "gone", "password": "Casebook-2026!"}, format="json"
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "用户名或密码错误。"}


@pytest.mark.parametrize(
    "body", [{}, {"username": "gz"}, {"username": 1, "password": 2}, {"username": "a\x00b", "password": "x"}]
)
def test_malformed_sign_in_is_400(body):
    assert_chinese_error(APIClient().post(f"{API}/auth/token", body, format="json"), 400)


def test_expired_token_is_401():
    client = sign_in(submitter("440100", username="gz"))
    assert client.get(f"{API}/me").status_code == 200
    AccessToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    body = assert_chinese_error(client.get(f"{API}/me"), 401)
    assert "过期" in body["detail"]


def test_disabled_users_token_stops_working_at_once():
    user = submitter("440100", username="gz")
    client = sign_in(user)
    assert client.get(f"{API}/submissions").status_code == 200
    user.is_active = False
    user.save()
    assert_chinese_error(client.get(f"{API}/submissions"), 401)


def test_garbage_tokens_are_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert_chinese_error(client.get(f"{API}/me"), 401)
    client.credentials(HTTP_AUTHORIZATION="Bearer two parts")
    assert_chinese_error(client.get(f"{API}/me"), 401)


def test_a_stale_token_does_not_block_signing_in_again():
    user = submitter("440100", username="gz")
    client = sign_in(user)
    AccessToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(f"{API}/auth/token", {"username": "gz", "password": "Casebook-2026!"}, format="json")
    assert response.status_code == 200


def test_delete_revokes_the_current_token_only():
    user = submitter("440100", username="gz")
    first, second = sign_in(user), sign_in(user)
    assert first.delete(f"{API}/auth/token").status_code == 204
    assert_chinese_error(first.get(f"{API}/me"), 401)
    assert second.get(f"{API}/me").status_code == 200
    assert_chinese_error(APIClient().delete(f"{API}/auth/token"), 401)


def test_me_requires_sign_in(anon):
    response = anon.get(f"{API}/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "请先登录。"}


def test_me_describes_a_submitter():
    body = sign_in(submitter("440100", username="gz", organisation="越秀区委网信办")).get(f"{API}/me").json()
    assert body == {
        "username": "gz",
        "role": "submitter",
        "region": {"code": "440100", "name": "广州市"},
        "province": {"code": "440000", "name": "广东省"},
        "organisation": "越秀区委网信办",
    }


def test_me_has_nulls_where_a_role_has_none():
    body = sign_in(secretariat(username="sec", organisation="")).get(f"{API}/me").json()
    assert body == {"username": "sec", "role": "secretariat", "region": None, "province": None, "organisation": None}
    rec = sign_in(recommender("440000", username="gd")).get(f"{API}/me").json()
    assert rec["region"] == rec["province"] == {"code": "440000", "name": "广东省"}


def test_responses_are_utf8_json_with_chinese_unescaped():
    response = sign_in(submitter("440100", username="gz")).get(f"{API}/me")
    assert response["Content-Type"].startswith("application/json")
    assert "广州市".encode() in response.content
