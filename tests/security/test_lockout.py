"""Sign-in lockout: per (account, address), per address, one message, unlock_user (issue 8 §4)."""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from security.models import LoginThrottle
from tests import factories
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token"
SAME_MESSAGE = "用户名或密码错误。"


def admin_login(username, password, ip="10.0.0.1"):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(LOGIN, {"username": username, "password": password})
    return client, response


def form_errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def api_login(username, password, ip="10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(TOKEN, {"username": username, "password": password},
                                       content_type="application/json")


def test_five_failures_lock_the_account_from_that_address_only(strict):
    factories.secretariat(username="alice")
    for _ in range(5):
        _client, response = admin_login("alice", "wrong-Password-1")
        assert response.status_code == 200
        assert form_errors(response) == [SAME_MESSAGE]
    # Locked now: even the right password is refused, with the lockout message.
    _client, response = admin_login("alice", DEFAULT_PASSWORD)
    assert response.status_code == 200
    [message] = form_errors(response)
    assert "锁定" in message and "10 分钟" in message
    # The same account from another address, and another account from this one, still sign in.
    client, response = admin_login("alice", DEFAULT_PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302
    factories.secretariat(username="bob")
    _client, response = admin_login("bob", DEFAULT_PASSWORD)
    assert response.status_code == 302


def test_the_lock_ends_after_ten_minutes_and_locked_attempts_do_not_count(strict):
    factories.submitter(username="carol")
    for _ in range(5):
        admin_login("carol", "nope")
    row = LoginThrottle.objects.get(key__startswith="acct:")
    assert row.locked_until - timezone.now() > timedelta(minutes=9, seconds=50)
    for _ in range(3):  # refused during the lock, not counted: the lock still ends on time
        admin_login("carol", DEFAULT_PASSWORD)
    row.refresh_from_db()
    assert row.locked_until - timezone.now() < timedelta(minutes=10, seconds=1)
    LoginThrottle.objects.filter(pk=row.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    _client, response = admin_login("carol", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login.locked", username="carol").count() == 3


def test_a_success_clears_the_count(strict):
    factories.submitter(username="dave")
    for _ in range(4):
        admin_login("dave", "nope")
    assert admin_login("dave", DEFAULT_PASSWORD)[1].status_code == 302
    for _ in range(4):
        admin_login("dave", "nope")
    assert admin_login("dave", DEFAULT_PASSWORD)[1].status_code == 302


def test_unknown_user_wrong_password_and_disabled_account_get_the_same_message(strict):
    factories.submitter(username="erin")
    disabled = factories.submitter(username="frank")
    disabled.is_active = False
    disabled.save()
    messages = {
        "unknown": form_errors(admin_login("nobody-here", "whatever-1A")[1]),
        "wrong": form_errors(admin_login("erin", "whatever-1A")[1]),
        "disabled": form_errors(admin_login("frank", DEFAULT_PASSWORD)[1]),
    }
    assert all(m == [SAME_MESSAGE] for m in messages.values()), messages
    api = {k: api_login(u, p) for k, (u, p) in
           {"unknown": ("nobody-here", "x-Y-1"), "wrong": ("erin", "x-Y-1"), "disabled": ("frank", DEFAULT_PASSWORD)}.items()}
    assert {r.status_code for r in api.values()} == {401}
    assert len({r.json()["detail"] for r in api.values()}) == 1


def test_an_unknown_account_locks_like_a_real_one(strict):
    """Lockouts reveal nothing about which accounts exist."""
    factories.submitter(username="grace")
    for name in ("grace", "no-such-user"):
        for _ in range(5):
            admin_login(name, "nope", ip="10.0.0.9")
    locked = [form_errors(admin_login(name, "nope", ip="10.0.0.9")[1]) for name in ("grace", "no-such-user")]
    assert locked[0] == locked[1] and "锁定" in locked[0][0]


def test_the_api_token_endpoint_is_locked_too_with_a_429(strict):
    factories.submitter(username="heidi")
    for _ in range(5):
        assert api_login("heidi", "nope").status_code == 401
    response = api_login("heidi", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"]
    assert response["Retry-After"] == "600"
    assert api_login("heidi", DEFAULT_PASSWORD, ip="10.0.0.3").status_code == 200
    # ... and the admin form and the API share the count.
    assert form_errors(admin_login("heidi", DEFAULT_PASSWORD)[1])[0] != SAME_MESSAGE


def test_fifty_failures_from_one_address_lock_the_address_for_every_account(strict):
    factories.submitter(username="ivan")
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="10.9.9.9")
    for i in range(50):
        assert authenticate(request, username=f"spray-{i}", password="Spring-2026!") is None
    assert authenticate(RequestFactory().post(LOGIN, REMOTE_ADDR="10.9.9.9"),
                        username="ivan", password=DEFAULT_PASSWORD) is None
    assert authenticate(RequestFactory().post(LOGIN, REMOTE_ADDR="10.9.9.10"),
                        username="ivan", password=DEFAULT_PASSWORD) is not None
    _client, response = admin_login("ivan", DEFAULT_PASSWORD, ip="10.9.9.9")
    assert "锁定" in form_errors(response)[0]


def test_the_thresholds_are_settings(settings):
    settings.LOGIN_LOCKOUT_FAILURES = 2
    factories.submitter(username="judy")
    admin_login("judy", "nope")
    assert admin_login("judy", DEFAULT_PASSWORD)[1].status_code == 302
    admin_login("judy", "nope")
    admin_login("judy", "nope")
    assert admin_login("judy", DEFAULT_PASSWORD)[1].status_code == 200


def test_unlock_user_lifts_the_lock_and_is_audited(strict, capsys):
    factories.submitter(username="Mallory")
    for ip in ("10.0.0.1", "10.0.0.2"):
        for _ in range(5):
            admin_login("mallory", "nope", ip=ip)
    assert "锁定" in form_errors(admin_login("Mallory", DEFAULT_PASSWORD)[1])[0]
    call_command("unlock_user", "MALLORY")
    assert "unlocked MALLORY" in capsys.readouterr().out
    assert admin_login("Mallory", DEFAULT_PASSWORD)[1].status_code == 302
    assert admin_login("Mallory", DEFAULT_PASSWORD, ip="10.0.0.2")[1].status_code == 302
    assert AuditEvent.objects.filter(action="account.unlocked", username="MALLORY").exists()


def test_unlock_user_can_lift_an_address_lock(strict):
    factories.submitter(username="niaj")
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="10.7.7.7")
    for i in range(50):
        authenticate(request, username=f"spray-{i}", password="x")
    assert admin_login("niaj", DEFAULT_PASSWORD, ip="10.7.7.7")[1].status_code == 200
    call_command("unlock_user", "niaj", ip="10.7.7.7")
    assert admin_login("niaj", DEFAULT_PASSWORD, ip="10.7.7.7")[1].status_code == 302


def test_usernames_are_not_stored_in_the_counters(strict):
    admin_login("my-secret-password-typed-in-the-wrong-box", "x")
    assert not LoginThrottle.objects.filter(key__contains="my-secret").exists()


def test_the_login_page_still_works_after_a_lock(strict):
    client = Client(REMOTE_ADDR="10.0.0.1")
    assert client.get(reverse("wagtailadmin_login")).status_code == 200


def test_stale_counters_are_forgotten(strict):
    from security import lockout

    admin_login("old-typo", "x")
    LoginThrottle.objects.update(updated_at=timezone.now() - timedelta(days=2))
    assert lockout.purge_stale() == 2  # the pair's and the address's
    assert not LoginThrottle.objects.exists()
