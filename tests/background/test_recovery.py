"""Recovery of tasks whose worker died (background/recovery.py), and the worker command's defaults."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import get_commands, load_command_class
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from background import recovery
from background.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.CASEBOOK = {**settings.CASEBOOK, "TASK_LEASE_SECONDS": 60, "TASK_MAX_ATTEMPTS": 3}
    return settings


def running(*worker_ids: str) -> DBTaskResult:
    from notifications.mail import send_email

    result = send_email.enqueue("主题", "正文", ["a@example.cn"])
    task = DBTaskResult.objects.get(pk=result.id)
    for worker_id in worker_ids:
        task.claim(worker_id)
    return task


def test_a_task_of_a_live_worker_is_left_alone(queue):
    recovery.beat("alive")
    task = running("alive")
    assert recovery.recover_stale_tasks() == ([], [])
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_task_of_a_worker_not_seen_for_a_lease_is_queued_again(queue):
    recovery.beat("dead")
    WorkerHeartbeat.objects.filter(pk="dead").update(seen_at=timezone.now() - timedelta(seconds=61))
    task = running("dead")
    never_beat = running("old-version-worker")  # a worker without heartbeats (an upstream one)
    requeued, failed = recovery.recover_stale_tasks()
    assert sorted(requeued) == sorted([str(task.pk), str(never_beat.pk)]) and failed == []
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}
    assert DBTaskResult.objects.ready().count() == 2  # a worker picks them up again


def test_a_task_that_keeps_killing_its_workers_is_failed_not_retried(queue):
    task = running("w1", "w2", "w3")
    requeued, failed = recovery.recover_stale_tasks()
    assert requeued == [] and failed == [str(task.pk)]
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == "background.recovery.WorkerLost"
    assert "died 3 times" in task.traceback


def test_stop_forgets_the_heartbeat(queue):
    recovery.beat("w")
    recovery.beat("w")  # renewed, not duplicated
    assert WorkerHeartbeat.objects.filter(pk="w").count() == 1
    recovery.forget("w")
    assert not WorkerHeartbeat.objects.exists()


def test_db_worker_is_ours_and_never_reloads_unless_asked(queue):
    queue.DEBUG = True  # upstream turns the auto-reloader on with DEBUG
    assert get_commands()["db_worker"] == "background"
    parser = load_command_class("background", "db_worker").create_parser("manage.py", "db_worker")
    assert parser.parse_args([]).reload is False
    assert parser.parse_args(["--reload"]).reload is True


def test_an_email_sent_again_by_a_recovered_task_has_the_same_message_id(queue, mailoutbox):
    """At-least-once delivery made recognisable: the rerun's copy is the same message."""
    from django_tasks import TaskContext

    from notifications.mail import send_email

    task = running("dead")
    result = task.task_result
    for _run in range(2):  # the killed run and the recovered one
        send_email.call(TaskContext(task_result=result), *result.args, **result.kwargs)
    first, second = mailoutbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert result.id in first.extra_headers["Message-ID"]
    assert first.to == ["a@example.cn"] and first.subject == "主题"
