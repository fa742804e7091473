"""Notifications follow the commit: e-mail and an admin list entry for the people concerned."""

import pytest
from django.core import mail
from django.db import transaction

from cases import workflow
from notifications.models import Notification
from tests import factories
from tests.workflow_paths import bring_to, complete_draft

pytestmark = pytest.mark.django_db


def test_return_for_revision_tells_the_submitter_with_the_reason(campaign, django_capture_on_commit_callbacks):
    case = bring_to("submitted", campaign=campaign)
    creator = case.created_by
    creator.email = "sub@example.cn"
    creator.save()
    rec = factories.recommender("440000", username="rec-440000")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case=case, name="return_for_revision", by=rec, reason="请补充培训台账")
    note = Notification.objects.get(user=creator)
    assert note.message.startswith("您的案例已被退回修改：") and "请补充培训台账" in note.message
    assert [m.to for m in mail.outbox] == [["sub@example.cn"]]
    assert "请补充培训台账" in mail.outbox[0].body and "退回修改" in mail.outbox[0].subject
    assert not Notification.objects.filter(user=rec).exists()  # the actor is not told


def test_submit_tells_the_province_recommenders(campaign, django_capture_on_commit_callbacks):
    case = complete_draft(campaign=campaign, region_code="440100")
    gd = factories.recommender("440000", username="rec-gd")
    zj = factories.recommender("330000", username="rec-zj")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case=case, name="submit", by=case.created_by)
    assert Notification.objects.filter(user=gd, message__contains="待推荐").count() == 1
    assert not Notification.objects.filter(user=zj).exists()


def test_rolled_back_transition_sends_no_email(campaign, django_capture_on_commit_callbacks):
    case = complete_draft(campaign=campaign, region_code="440100")
    factories.recommender("440000", username="rec-gd")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                workflow.transition(case=case, name="submit", by=case.created_by)
                raise RuntimeError("rollback")
    assert mail.outbox == [] and not Notification.objects.exists()


def test_notification_list_in_admin(client, campaign, django_capture_on_commit_callbacks):
    case = bring_to("submitted", campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case=case, name="decline", by=factories.recommender("440000", username="r"), reason="方向不符")
    from django.contrib.auth.models import Permission

    case.created_by.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(case.created_by)
    response = client.get("/admin/notifications/")
    assert response.status_code == 200
    assert "您的案例未获推荐" in response.content.decode()
    client.post("/admin/notifications/read/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
