"""Rate limits (HTTP 429): sign-in, search, objections; driven by settings (issue 8 §5)."""

import re

import pytest
from django.test import Client, RequestFactory, override_settings

from audit.models import AuditEvent
from config.settings import base
from core.net import address_key, client_ip
from security import ratelimit
from tests.security.conftest import rules

pytestmark = pytest.mark.django_db
T0 = 1_800_000_030.0  # 30 s into a minute, 30 s into an hour: no window ends during a test


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(ratelimit, "_now", lambda: T0)


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_defaults_are_the_documented_ones():
    by_name = {r["name"]: r for r in base.RATE_LIMITS}
    assert (by_name["search"]["limit"], by_name["search"]["window"]) == (120, 60)
    assert (by_name["objections"]["limit"], by_name["objections"]["window"]) == (5, 3600)
    assert by_name["signin"]["methods"] == ["POST"] and base.RATE_LIMITS_ENABLED is True
    assert (by_name["password_reset"]["limit"], by_name["password_reset"]["window"]) == (10, 3600)
    per_account = {r["name"]: (r["limit"], r["window"]) for r in base.ACCOUNT_RATE_LIMITS}
    assert per_account == {"password_reset_email": (3, 3600), "adoption_reports": (20, 86400)}


def test_api_search_gets_429_in_chinese_json_past_the_limit(settings):
    settings.RATE_LIMITS = rules(search=3)
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(3):
        assert client.get("/api/v1/cases").status_code != 429
    response = client.get("/api/v1/cases")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert chinese(response.json()["detail"]) and "频繁" in response.json()["detail"]
    assert response["Retry-After"] == "30"
    # Another address is not affected; nor are other paths from this one.
    assert Client(REMOTE_ADDR="10.1.1.2").get("/api/v1/cases").status_code != 429
    assert client.get("/api/v1/campaigns").status_code == 200


def test_the_library_search_page_gets_a_429_page(settings):
    settings.RATE_LIMITS = rules(search=2)
    client = Client(REMOTE_ADDR="10.1.1.3")
    client.get("/cases/")
    client.get("/cases/", {"q": "老年人"})
    response = client.get("/cases/", {"q": "老年人"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "请求过于频繁" in html and "<html" in html
    assert response["Content-Security-Policy"]  # a refusal carries the headers too


def test_objections_are_limited_per_address_per_hour(settings, campaign):
    settings.RATE_LIMITS = rules(objections=2)
    client = Client(REMOTE_ADDR="10.1.1.4")
    for _ in range(2):
        assert client.post("/api/v1/cases/999999/objections", {}, content_type="application/json").status_code != 429
    response = client.post("/api/v1/cases/999999/objections", {}, content_type="application/json")
    assert response.status_code == 429 and response["Retry-After"] == "3570"  # the clock hour's end
    # The notice page's form shares the count; reading the notice page does not count.
    assert client.post("/notices/999999/", {}).status_code == 429
    assert client.get("/notices/999999/").status_code != 429
    assert Client(REMOTE_ADDR="10.1.1.5").post("/notices/999999/", {}).status_code != 429


def test_sign_in_attempts_are_limited(settings):
    settings.RATE_LIMITS = rules(signin=2)
    client = Client(REMOTE_ADDR="10.1.1.6")
    for _ in range(2):
        assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 200
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 429
    assert client.get("/admin/login/").status_code == 200  # showing the form is not limited
    api = Client(REMOTE_ADDR="10.1.1.6").post("/api/v1/auth/token", {"username": "x", "password": "y"},
                                               content_type="application/json")
    assert api.status_code == 429 and chinese(api.json()["detail"])


def test_a_refused_window_is_audited_once(settings):
    settings.RATE_LIMITS = rules(search=1)
    client = Client(REMOTE_ADDR="10.1.1.7")
    for _ in range(5):
        client.get("/api/v1/cases")
    [event] = AuditEvent.objects.filter(action="rate.limited")
    assert event.ip == "10.1.1.7" and event.details["rule"] == "search" and event.outcome == "denied"


def test_switching_off(settings):
    settings.RATE_LIMITS = rules(search=1)
    settings.RATE_LIMITS_ENABLED = False
    client = Client(REMOTE_ADDR="10.1.1.8")
    assert all(client.get("/api/v1/cases").status_code != 429 for _ in range(3))


def test_the_window_resets(settings):
    settings.RATE_LIMITS = rules(search=2)
    rule = next(r for r in ratelimit.rules() if r.name == "search")
    t = 1_800_000_000.0
    assert [ratelimit.hit(rule, "10.2.2.2", now=t + i).allowed for i in range(3)] == [True, True, False]
    assert ratelimit.hit(rule, "10.2.2.2", now=t + 60).allowed  # next minute


def test_ipv6_addresses_are_counted_per_64_network():
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"
    assert address_key("::ffff:10.0.0.1") == "10.0.0.1"
    assert address_key(None) == "unknown"


def test_forwarded_for_is_trusted_only_behind_a_configured_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="192.168.0.10", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "192.168.0.10"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "203.0.113.9"  # the hop the proxy added; 6.6.6.6 is client-supplied
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(RequestFactory().get("/", REMOTE_ADDR="bogus")) is None


def test_old_counters_are_cleaned_up_on_a_timer_not_by_chance(monkeypatch):
    from security.models import RateCounter

    rule = ratelimit.Rule(name="search", pattern=re.compile("^/"), methods=None, limit=10, window=60)
    RateCounter.objects.create(bucket="search|10.0.0.9", window_start=int(T0) - 2 * 86400, hits=3)
    monkeypatch.setattr(ratelimit, "_next_cleanup", T0 + 1)
    ratelimit.hit(rule, "10.0.0.1", now=T0)
    assert RateCounter.objects.filter(bucket="search|10.0.0.9").exists()  # not due yet
    ratelimit.hit(rule, "10.0.0.1", now=T0 + 1)
    assert not RateCounter.objects.filter(bucket="search|10.0.0.9").exists()
    assert ratelimit._next_cleanup == T0 + 1 + ratelimit.CLEANUP_INTERVAL


def test_the_csv_export_shares_the_search_budget(settings):
    """/cases.csv runs the same search over up to 10,000 rows (issue 14 §8)."""
    settings.RATE_LIMITS = rules(search=3)
    client = Client(REMOTE_ADDR="10.1.1.9")
    assert client.get("/cases.csv").status_code != 429
    assert client.get("/api/v1/cases").status_code != 429
    assert client.get("/cases.csv").status_code != 429
    response = client.get("/cases.csv")
    assert response.status_code == 429 and chinese(response.content.decode())
    assert client.get("/api/v1/cases").status_code == 429


def test_password_reset_requests_are_limited_per_address(settings, mailoutbox):
    from tests import factories

    factories.submitter(username="forgetful", email="forgetful@example.cn")
    settings.RATE_LIMITS = rules(password_reset=2)
    client = Client(REMOTE_ADDR="10.1.1.10")
    for _ in range(2):
        assert client.post("/admin/password_reset/", {"email": "forgetful@example.cn"}).status_code == 302
    response = client.post("/admin/password_reset/", {"email": "nobody@example.cn"})
    assert response.status_code == 429 and "请求过于频繁" in response.content.decode()
    assert len(mailoutbox) == 2
    assert client.get("/admin/password_reset/").status_code == 200  # showing the form is not limited


def test_password_reset_emails_are_limited_per_account_with_the_same_answer(settings, mailoutbox):
    from tests import factories

    factories.submitter(username="forgetful", email="forgetful@example.cn")
    settings.ACCOUNT_RATE_LIMITS = [{"name": "password_reset_email", "limit": 2, "window": 3600}]

    def ask(email: str, n: int):
        response = Client(REMOTE_ADDR=f"10.3.3.{n}").post("/admin/password_reset/", {"email": email})
        return response.status_code, response["Location"]

    answers = [ask("forgetful@example.cn", n) for n in range(5)]  # five addresses, one account
    assert len(mailoutbox) == 2
    assert set(answers) == {ask("nobody@example.cn", 9)} == {(302, "/admin/password_reset/done/")}
    [event] = AuditEvent.objects.filter(action="rate.limited")
    assert event.details["rule"] == "password_reset_email"
