"""A Bearer token dies with what it was issued for (issue 14 §5): the password (reset or changed),
the account being enabled, its role and its region. Whatever path makes the change: the
forgot-password link, the account page, the account admin, Wagtail's user admin or a shell."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import AccessToken
from tests import factories
from tests.api.conftest import API, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Xin-Mima-2026!"


def still_works(api) -> bool:
    response = api.get(f"{API}/me")
    assert response.status_code in {200, 401}, response.content
    return response.status_code == 200


@pytest.fixture
def user():
    return factories.submitter("440100", username="token-holder", email="holder@example.cn")


def test_a_password_reset_through_the_emailed_link_revokes_tokens(user):
    api = sign_in(user)
    assert still_works(api)
    browser = Client()
    browser.post(reverse("wagtailadmin_password_reset"), {"email": "holder@example.cn"})
    link = re.search(r"https?://\S+/admin/password_reset/confirm/\S+/", mail.outbox[-1].body).group(0)
    form_url = browser.get("/" + link.split("/", 3)[3])["Location"]
    response = browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert not still_works(api)
    assert still_works(sign_in(user, NEW_PASSWORD))  # a new token, with the new password, works


def test_a_password_change_on_the_account_page_revokes_tokens(user):
    api = sign_in(user)
    browser = Client()
    browser.force_login(user)
    response = browser.post(reverse("wagtailadmin_account"), {
        "name_email-first_name": "李", "name_email-last_name": "明", "name_email-email": "holder@example.cn",
        "locale-preferred_language": "zh-hans", "locale-current_time_zone": "Asia/Shanghai",
        "theme-theme": "system", "theme-density": "default", "theme-contrast": "system",
        "password-old_password": factories.DEFAULT_PASSWORD, "password-new_password1": NEW_PASSWORD,
        "password-new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not still_works(api)


def test_disabling_revokes_tokens_and_enabling_does_not_bring_them_back(user):
    api = sign_in(user)
    secretariat = factories.secretariat(username="sec-a")
    services.set_active(by=secretariat, user=user, active=False)
    assert not still_works(api)
    services.set_active(by=secretariat, user=user, active=True)
    assert not still_works(api)


def test_disabling_in_wagtails_bulk_user_action_revokes_tokens_for_good(user):
    """The bulk action updates the rows without saving them; re-enabling must not revive a token."""
    api = sign_in(user)
    admin = Client()
    admin.force_login(_superuser())
    url = reverse("wagtail_bulk_action", args=("accounts", "user", "set_active_state")) + f"?id={user.pk}"
    response = admin.post(url, {"mark_as_active": "False"})
    assert response.status_code == 302, response.content[:500]
    user.refresh_from_db()
    assert not user.is_active and not still_works(api)
    admin.post(url, {"mark_as_active": "True"})
    user.refresh_from_db()
    assert user.is_active
    assert not still_works(api)


def _superuser():
    from accounts.models import User

    return User.objects.create_superuser("root-bulk", "root-bulk@example.cn", "Root-Bulk-2026!")


@pytest.mark.parametrize("change", [{"role": "reviewer", "region": None}, {"region": "440300"}])
def test_a_role_or_region_change_in_the_account_admin_revokes_tokens(user, change):
    api = sign_in(user)
    other = sign_in(factories.submitter("440100", username="bystander"))
    fields = {k: factories.region(v) if k == "region" and v else v for k, v in change.items()}
    services.update_account(by=factories.secretariat(username="sec-a"), user=user, **fields)
    assert not still_works(api)
    assert still_works(other)


def test_editing_other_details_keeps_tokens(user):
    api = sign_in(user)
    services.update_account(by=factories.secretariat(username="sec-a"), user=user, organisation="越秀区数据局",
                            phone="020-12345678")
    assert still_works(api)


def test_a_change_made_without_the_services_revokes_too(user):
    """Wagtail's user admin, `manage.py changepassword` or a shell: no service is called."""
    api, raw = sign_in(user), AccessToken.issue(user)[1]
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not still_works(api)
    assert AccessToken.find_live(raw) is None
