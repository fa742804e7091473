"""With the database queue, background work is queued when the change commits, never before."""

from __future__ import annotations

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from cases import workflow
from tests.factories import case_in, recommender, submitter

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_transition_mail_is_queued_at_commit_and_not_sent_in_the_request(settings, django_capture_on_commit_callbacks):
    draft = case_in("draft", region_code="440100")
    owner = submitter("440100", username="sub-440100")
    recommender("440000", username="rec-440000", email="rec-440000@example.cn")
    settings.TASKS = DATABASE_QUEUE
    mail.outbox.clear()
    queued = DBTaskResult.objects.filter(task_path="notifications.mail.send_email")

    with django_capture_on_commit_callbacks(execute=False) as at_commit:
        workflow.transition(case=draft, name="submit", by=owner)
    assert not queued.exists()  # a rollback here would leave nothing queued

    for callback in at_commit:
        callback()
    recipients = [task.args_kwargs["args"][2] for task in queued]
    assert ["rec-440000@example.cn"] in recipients
    assert {task.status for task in queued} == {"READY"} and mail.outbox == []  # the worker sends it
