"""A disabled account's sessions and API tokens end at once (issue 8 §4)."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from accounts import services
from accounts.models import AccessToken
from audit.models import AuditEvent
from tests import factories
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def signed_in_everywhere(user):
    browser = Client()
    browser.force_login(user)
    api = Client()
    token = api.post("/api/v1/auth/token", {"username": user.username, "password": DEFAULT_PASSWORD},
                     content_type="application/json").json()["token"]
    assert browser.get("/admin/").status_code == 200
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    return browser, api, token


def test_disabling_through_the_account_service_ends_sessions_and_tokens():
    boss = factories.secretariat(username="boss")
    user = factories.submitter(username="leaver")
    browser, api, token = signed_in_everywhere(user)
    services.set_active(by=boss, user=user, active=False)
    assert browser.get("/admin/").status_code == 302
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert not AccessToken.objects.filter(user=user).exists()
    assert not any(str(s.get_decoded().get("_auth_user_id")) == str(user.pk) for s in Session.objects.all())
    # Enabling again revives nothing: the old token and session stay dead.
    services.set_active(by=boss, user=user, active=True)
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert browser.get("/admin/").status_code == 302
    event = AuditEvent.objects.get(action="account.disabled")
    assert event.object_id == str(user.pk) and event.details["tokens_revoked"] == 1


def test_disabling_by_any_save_ends_them_too():
    """Wagtail's own user editor, the shell, a data fix: the signal covers every save."""
    user = factories.submitter(username="leaver2")
    browser, api, token = signed_in_everywhere(user)
    user.is_active = False
    user.save()
    assert not any(str(s.get_decoded().get("_auth_user_id")) == str(user.pk) for s in Session.objects.all())
    assert browser.get("/admin/").status_code == 302
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert not AccessToken.objects.filter(user=user).exists()


def test_saving_an_active_user_touches_nothing():
    user = factories.submitter(username="stayer")
    browser, api, token = signed_in_everywhere(user)
    user.organisation = "新单位"
    user.save()
    assert browser.get("/admin/").status_code == 200
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
