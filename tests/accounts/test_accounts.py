"""Accounts: role groups, creation (secretariat and recommender), set-password, disabling."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import AccessToken, User
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Xin-Mima-2026!"


def link_in(message) -> str:
    return re.search(r"https?://\S+/admin/password_reset/confirm/\S+/", message.body).group(0)


def listing(response) -> str:
    html = response.content.decode()
    return html[html.index('<table class="listing">'):]


def set_password_through_link(client, url: str, password: str = NEW_PASSWORD):
    path = "/" + url.split("/", 3)[3]
    response = client.get(path)  # Django redirects to a session-bound "set-password" URL
    assert response.status_code == 302, response
    form_url = response["Location"]
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return response


def test_role_groups_exist_with_admin_access():
    for role, name in services.ROLE_GROUPS.items():
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists(), role


def test_users_join_their_role_group_and_change_with_role(client):
    user = factories.submitter(username="grp")
    assert list(user.groups.values_list("name", flat=True)) == ["申报单位"]
    user.role = "reviewer"
    user.save()
    assert list(user.groups.values_list("name", flat=True)) == ["评审专家"]
    client.force_login(user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def account_post(**overrides) -> dict:
    data = {
        "username": "yuexiu", "name": "李明", "email": "liming@example.cn", "role": "submitter",
        "region": "440100", "organisation": "越秀区委网信办", "phone": "",
    }
    data.update(overrides)
    return data


def test_secretariat_creates_any_role_and_user_sets_password(client):
    client.force_login(factories.secretariat(username="sec-a"))
    response = client.post(reverse("accounts_admin:add"), account_post(role="recommender", region="440000"))
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="yuexiu")
    assert user.role == "recommender" and user.first_name == "李明"
    assert user.groups.filter(name="推荐单位").exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["liming@example.cn"]
    assert "设置" in message.subject and "用户名：yuexiu" in message.body

    anonymous = client.__class__()
    assert not anonymous.login(username="yuexiu", password=NEW_PASSWORD)
    set_password_through_link(anonymous, link_in(message))
    assert anonymous.login(username="yuexiu", password=NEW_PASSWORD)
    assert anonymous.get(reverse("wagtailadmin_home")).status_code == 200
    # The link is single-use.
    reused = client.__class__().get("/" + link_in(message).split("/", 3)[3])
    assert reused.status_code == 200 and reused.context["validlink"] is False


def test_account_form_errors_are_chinese_and_keep_input(client):
    factories.submitter(username="taken")
    client.force_login(factories.secretariat(username="sec-a"))
    response = client.post(reverse("accounts_admin:add"), account_post(username="taken", email="bad"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "用户名“taken”已被使用" in html and "请填写有效的电子邮箱" in html
    assert 'value="李明"' in html
    response = client.post(reverse("accounts_admin:add"), account_post(role="recommender", region="440100"))
    assert "推荐单位的所属地区必须是省级行政区" in response.content.decode()


def test_recommender_creates_submitters_of_its_province_only(client):
    recommender = factories.recommender("440000", username="rec-a")
    factories.submitter("440300", username="sz-sub")
    factories.submitter("110000", username="bj-sub")
    client.force_login(recommender)
    html = listing(client.get(reverse("accounts_admin:index")))
    assert "sz-sub" in html and "bj-sub" not in html and "rec-a" not in html

    form_html = client.get(reverse("accounts_admin:add")).content.decode()
    assert 'value="recommender"' not in form_html and 'value="110000"' not in form_html

    response = client.post(reverse("accounts_admin:add"), account_post(username="gz-new", region="440100"))
    assert response.status_code == 302
    assert User.objects.get(username="gz-new").role == "submitter"

    for bad in (account_post(username="r2", role="recommender", region="440000"),
                account_post(username="bj2", region="110000"),
                account_post(username="sec2", role="secretariat", region="")):
        response = client.post(reverse("accounts_admin:add"), bad)
        assert response.status_code == 200
    assert not User.objects.filter(username__in=["r2", "bj2", "sec2"]).exists()
    with pytest.raises(services.AccountError):
        services.create_account(by=recommender, username="x", name="x", email="x@example.cn",
                                role="submitter", region=factories.region("110000"))
    # Managing others is the secretariat's: no edit/disable for a recommender.
    sub = User.objects.get(username="sz-sub")
    assert client.get(reverse("accounts_admin:edit", args=[sub.pk])).status_code == 404
    client.post(reverse("accounts_admin:operation", args=[sub.pk, "disable"]))
    sub.refresh_from_db()
    assert sub.is_active


def test_other_roles_have_no_account_pages_and_wagtail_user_admin_is_closed(client):
    client.force_login(factories.submitter(username="sub-a"))
    assert client.get(reverse("accounts_admin:index")).status_code == 404
    client.force_login(factories.recommender(username="rec-b"))
    assert client.get(reverse("wagtailusers_users:index")).status_code == 302
    other = factories.submitter(username="someone")
    assert client.get(reverse("wagtailusers_users:edit", args=[other.pk])).status_code == 302


def test_disabling_ends_sessions_and_tokens(client):
    user = factories.submitter(username="leaver")
    _token, raw = AccessToken.issue(user)
    victim = client.__class__()
    victim.force_login(user)
    assert victim.get(reverse("wagtailadmin_home")).status_code == 200

    client.force_login(factories.secretariat(username="sec-a"))
    response = client.post(reverse("accounts_admin:operation", args=[user.pk, "disable"]))
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    response = victim.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]
    assert AccessToken.find_live(raw) is None

    client.post(reverse("accounts_admin:operation", args=[user.pk, "enable"]))
    user.refresh_from_db()
    assert user.is_active


def test_cannot_disable_self(client):
    secretariat = factories.secretariat(username="sec-a")
    client.force_login(secretariat)
    client.post(reverse("accounts_admin:operation", args=[secretariat.pk, "disable"]))
    secretariat.refresh_from_db()
    assert secretariat.is_active


def test_forgot_password_flow_on_the_login_page(client):
    user = factories.submitter(username="forgetful", email="forgetful@example.cn")
    login_page = client.get(reverse("wagtailadmin_login")).content.decode()
    assert reverse("wagtailadmin_password_reset") in login_page
    response = client.post(reverse("wagtailadmin_password_reset"), {"email": "forgetful@example.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "【典型案例库】重置登录密码"
    assert "您的用户名：forgetful" in mail.outbox[0].body
    set_password_through_link(client, link_in(mail.outbox[0]))
    assert client.login(username="forgetful", password=NEW_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_resend_link_for_new_account(client):
    client.force_login(factories.secretariat(username="sec-a"))
    client.post(reverse("accounts_admin:add"), account_post())
    user = User.objects.get(username="yuexiu")
    client.post(reverse("accounts_admin:operation", args=[user.pk, "resend"]))
    assert len(mail.outbox) == 2


def test_secretariat_edits_account(client):
    user = factories.submitter(username="editme")
    client.force_login(factories.secretariat(username="sec-a"))
    data = account_post(name="王五", role="recommender", region="440000")
    data.pop("username")
    response = client.post(reverse("accounts_admin:edit", args=[user.pk]), data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.first_name == "王五" and user.role == "recommender"
    assert user.groups.filter(name="推荐单位").exists() and not user.groups.filter(name="申报单位").exists()


def test_new_account_can_use_forgot_password_too(client):
    client.force_login(factories.secretariat(username="sec-a"))
    client.post(reverse("accounts_admin:add"), account_post())
    mail.outbox.clear()
    anonymous = client.__class__()
    anonymous.post(reverse("wagtailadmin_password_reset"), {"email": "liming@example.cn"})
    assert len(mail.outbox) == 1
    set_password_through_link(anonymous, link_in(mail.outbox[0]))
    assert anonymous.login(username="yuexiu", password=NEW_PASSWORD)
