"""Session limits: 30 minutes idle, 12 hours absolute, warning and extend (issue 8 §4)."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from security import sessions
from tests import factories

pytestmark = pytest.mark.django_db
HOME = "/admin/"


@pytest.fixture
def signed_in(db):
    user = factories.secretariat(username="clock")
    client = Client()
    client.force_login(user)
    return client


def set_clock(client, *, login_ago: float = 0, seen_ago: float = 0):
    session = client.session
    now = time.time()
    session[sessions.LOGIN_AT] = int(now - login_ago)
    session[sessions.SEEN_AT] = int(now - seen_ago)
    session.save()


def test_sign_in_starts_the_clock(signed_in):
    session = signed_in.session
    assert abs(session[sessions.LOGIN_AT] - time.time()) < 5
    assert abs(session[sessions.SEEN_AT] - time.time()) < 5


def test_thirty_minutes_idle_ends_the_session(signed_in):
    set_clock(signed_in, login_ago=3600, seen_ago=29 * 60)
    assert signed_in.get(HOME).status_code == 200
    set_clock(signed_in, login_ago=3600, seen_ago=31 * 60)
    response = signed_in.get(HOME)
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]
    page = signed_in.get(response["Location"]).content.decode()
    assert "30 分钟未操作" in page
    assert signed_in.get(HOME).status_code == 302  # the session is gone, not just this request
    event = AuditEvent.objects.get(action="session.expired")
    assert event.username == "clock" and event.details == {"reason": "idle"}


def test_twelve_hours_absolute_ends_even_an_active_session(signed_in):
    set_clock(signed_in, login_ago=12 * 3600 - 60, seen_ago=10)
    assert signed_in.get(HOME).status_code == 200
    set_clock(signed_in, login_ago=12 * 3600 + 1, seen_ago=10)
    response = signed_in.get(HOME)
    assert response.status_code == 302
    assert "12 小时" in signed_in.get(response["Location"]).content.decode()
    assert AuditEvent.objects.get(action="session.expired").details == {"reason": "absolute"}


def test_activity_moves_the_idle_clock(signed_in):
    set_clock(signed_in, seen_ago=20 * 60)
    signed_in.get(HOME)
    assert time.time() - signed_in.session[sessions.SEEN_AT] < 5


def test_the_limits_are_settings(signed_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    set_clock(signed_in, seen_ago=61)
    assert signed_in.get(HOME).status_code == 302


def test_status_does_not_count_as_activity(signed_in):
    set_clock(signed_in, login_ago=3600, seen_ago=20 * 60)
    body = signed_in.get(reverse("security_session_status")).json()
    assert 9 * 60 <= body["idle_remaining"] <= 10 * 60
    assert body["remaining"] == body["idle_remaining"]
    assert body["warning"] == 120 and body["extendable"] is True
    assert time.time() - signed_in.session[sessions.SEEN_AT] >= 20 * 60 - 5


def test_extend_resets_the_idle_clock_but_not_the_absolute_one(signed_in):
    set_clock(signed_in, login_ago=3600, seen_ago=29 * 60)
    body = signed_in.post(reverse("security_session_extend")).json()
    assert body["idle_remaining"] >= 30 * 60 - 5
    set_clock(signed_in, login_ago=12 * 3600 - 90, seen_ago=29 * 60)
    body = signed_in.post(reverse("security_session_extend")).json()
    assert body["remaining"] <= 90 and body["extendable"] is False


def test_extend_needs_post_and_csrf(db):
    user = factories.secretariat(username="csrf")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(reverse("security_session_extend")).status_code == 405
    assert client.post(reverse("security_session_extend")).status_code == 403


def test_the_admin_loads_the_warning_script(signed_in):
    html = signed_in.get(HOME).content.decode()
    assert "security/session-timeout.js" in html
    assert reverse("security_session_status") in html and reverse("security_session_extend") in html


def test_an_expired_session_is_anonymous_to_the_api(signed_in):
    assert signed_in.get("/api/v1/me").status_code == 200
    set_clock(signed_in, seen_ago=31 * 60)
    assert signed_in.get("/api/v1/me").status_code in {401, 403}


def test_session_cookie_lifetime_is_the_absolute_limit(settings):
    from config.settings import base

    assert base.SESSION_COOKIE_AGE == base.SESSION_ABSOLUTE_TIMEOUT == 12 * 3600
    assert base.SESSION_IDLE_TIMEOUT == 30 * 60


def test_wagtails_editing_session_ping_is_not_activity(signed_in):
    """An edit form left open pings every few seconds; that alone must not keep the session."""
    set_clock(signed_in, login_ago=3600, seen_ago=20 * 60)
    signed_in.post("/admin/editing-sessions/ping/cases/case/1/1/")
    assert time.time() - signed_in.session[sessions.SEEN_AT] >= 20 * 60 - 5
    set_clock(signed_in, login_ago=3600, seen_ago=31 * 60)
    assert signed_in.post("/admin/editing-sessions/ping/cases/case/1/1/").status_code in {302, 401, 403, 404}
    assert signed_in.get(HOME).status_code == 302
