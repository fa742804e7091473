"""Optional TOTP for the secretariat: enrolment, the second sign-in step, the API (issue 8 §4)."""

import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from security import totp
from security.models import TOTPDevice
from tests import factories
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
T0 = 1_900_000_000.0  # a fixed clock: codes don't depend on when the test runs


@pytest.fixture
def clock(monkeypatch):
    now = {"t": T0}
    monkeypatch.setattr(totp, "_now", lambda: now["t"])
    return now


@pytest.fixture
def enabled(settings, clock):
    settings.TOTP_ENABLED = True
    return settings


def code(secret: str, at: float) -> str:
    return pyotp.TOTP(secret).at(at)


def enrolled(username="sec-otp", clock=None):
    user = factories.secretariat(username=username)
    device = totp.start_enrolment(user)
    assert totp.verify(device, code(device.secret, T0 - 30), at=T0 - 30)
    return user, device


def test_enrolment_page_shows_a_qr_code_and_confirms_with_a_code(enabled, clock):
    user = factories.secretariat(username="enrol")
    client = Client()
    client.force_login(user)
    page = client.get(reverse("security_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "动态口令" in html
    device = TOTPDevice.objects.get(user=user)
    assert device.secret[:4] in html and not device.confirmed
    # A reload keeps the same secret (the user may already have scanned it).
    client.get(reverse("security_totp"))
    assert TOTPDevice.objects.get(user=user).secret == device.secret
    wrong = client.post(reverse("security_totp"), {"operation": "confirm", "code": "000000"})
    assert wrong.status_code == 200 and "不正确" in wrong.content.decode()
    ok = client.post(reverse("security_totp"), {"operation": "confirm", "code": code(device.secret, T0)})
    assert ok.status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed
    assert AuditEvent.objects.filter(action="otp.enrolled", object_id=str(user.pk)).exists()


def test_sign_in_takes_a_second_step(enabled, clock):
    user, device = enrolled()
    client = Client()
    response = client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    # Signed in with the password only: every admin page sends the user to the code page ...
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("security_totp_verify"))
    # ... and the API, through the session, answers 401.
    assert client.get("/api/v1/me").status_code == 401
    page = client.get(response["Location"])
    assert page.status_code == 200 and "两步验证" in page.content.decode()
    bad = client.post(reverse("security_totp_verify"), {"code": "123456", "next": "/admin/pages/"})
    assert bad.status_code == 200 and "不正确" in bad.content.decode()
    good = client.post(reverse("security_totp_verify"), {"code": code(device.secret, T0), "next": "/admin/pages/"})
    assert good.status_code == 302 and good["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    actions = list(AuditEvent.objects.filter(username=user.username).values_list("action", flat=True))
    assert {"login.success", "otp.failure", "otp.success"} <= set(actions)


def test_the_code_page_can_load_the_admin_assets_while_held(enabled, clock):
    """The admin fetches its icon sprite and translations by URL; a redirect there would
    inject the code page into itself."""
    user, _device = enrolled()
    client = Client()
    client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    assert client.get(reverse("wagtailadmin_sprite")).status_code == 200
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
    assert client.get(reverse("security_totp_verify")).content.decode().count('class="login-form"') == 1


def test_a_code_works_only_once(enabled, clock):
    user, device = enrolled()
    assert totp.verify(device, code(device.secret, T0))
    assert not totp.verify(device, code(device.secret, T0))
    clock["t"] = T0 + 30
    assert totp.verify(device, code(device.secret, T0 + 30))


def test_five_wrong_codes_end_the_session(enabled, clock):
    user, _device = enrolled()
    client = Client()
    client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    for _ in range(4):
        assert client.post(reverse("security_totp_verify"), {"code": "000000"}).status_code == 200
    response = client.post(reverse("security_totp_verify"), {"code": "000000"})
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_login")
    assert client.get("/admin/").status_code == 302
    assert reverse("wagtailadmin_login") in client.get("/admin/")["Location"]


def test_the_next_parameter_cannot_leave_the_site(enabled, clock):
    user, device = enrolled()
    client = Client()
    client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    response = client.post(reverse("security_totp_verify"),
                           {"code": code(device.secret, T0), "next": "https://evil.example/"})
    assert response["Location"] == reverse("wagtailadmin_home")


def test_api_token_needs_the_code_beside_the_password(enabled, clock):
    user, device = enrolled()
    api = Client()
    without = api.post("/api/v1/auth/token", {"username": user.username, "password": DEFAULT_PASSWORD},
                       content_type="application/json")
    assert without.status_code == 401 and "动态口令" in without.json()["detail"]
    wrong = api.post("/api/v1/auth/token", {"username": user.username, "password": "bad", "otp": code(device.secret, T0)},
                     content_type="application/json")
    assert wrong.status_code == 401 and wrong.json()["detail"] == "用户名或密码错误。"
    ok = api.post("/api/v1/auth/token",
                  {"username": user.username, "password": DEFAULT_PASSWORD, "otp": code(device.secret, T0)},
                  content_type="application/json")
    assert ok.status_code == 200 and ok.json()["token"]


def test_only_the_secretariat_and_administrators_may_enrol(enabled):
    submitter = factories.submitter(username="sub-otp")
    client = Client()
    client.force_login(submitter)
    assert client.get(reverse("security_totp")).status_code == 404
    assert reverse("security_totp") not in client.get("/admin/").content.decode()
    staff = Client()
    staff.force_login(factories.secretariat(username="sec-menu"))
    assert reverse("security_totp") in staff.get("/admin/").content.decode()


def test_required_totp_sends_the_secretariat_to_enrol(enabled, clock, settings):
    settings.TOTP_REQUIRED = True
    client = Client()
    client.force_login(factories.secretariat(username="must"))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("security_totp"))
    assert client.get(reverse("security_totp")).status_code == 200
    # Other roles are not asked.
    other = Client()
    other.force_login(factories.submitter(username="sub-free"))
    assert other.get("/admin/").status_code == 200


def test_disabling_needs_a_code(enabled, clock):
    user, device = enrolled()
    client = Client()
    client.force_login(user)
    client.post(reverse("security_totp_verify"), {"code": code(device.secret, T0)})
    assert client.post(reverse("security_totp"), {"operation": "disable", "code": "000000"}).status_code == 200
    assert TOTPDevice.objects.filter(user=user).exists()
    clock["t"] = T0 + 30
    response = client.post(reverse("security_totp"), {"operation": "disable", "code": code(device.secret, T0 + 30)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="otp.disabled").exists()


def test_off_by_default_devices_are_ignored(clock, settings):
    assert settings.TOTP_ENABLED is False
    user, _device = enrolled()
    client = Client()
    response = client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert Client().get(reverse("security_totp")).status_code == 302  # anonymous: to the sign-in page


def test_real_clock_round_trip(settings):
    """Without a fixed clock: the code an authenticator shows now is accepted."""
    settings.TOTP_ENABLED = True
    user = factories.secretariat(username="realtime")
    device = totp.start_enrolment(user)
    assert totp.verify(device, pyotp.TOTP(device.secret).at(time.time()))
    assert totp.required_for(user)
