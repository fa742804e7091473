"""Concurrent visitors of a stale or missing 典型案例汇编: no build ever runs in their requests, at
most one background build is queued for all of them, and one build runs at a time per campaign.

The visitors are four threads fetching the PDF at the same moment (a barrier), through the test
client, on committed data (transactional tests). That no build ran in a request is read from the
stored state: the book's file and date are unchanged and nothing is rendering.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from background.worker import ResilientWorker
from tests.website.conftest import committed
from website.compilation import tasks
from website.compilation.models import Compilation, CompilationState

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
VISITORS = 4
BUILD = "website.compilation.tasks.build_compilation"


def _url(campaign) -> str:
    return f"/campaigns/{campaign.slug}/compilation.pdf"


def visit_together(url: str) -> list:
    """VISITORS anonymous requests released at once; their responses."""
    barrier = threading.Barrier(VISITORS)
    responses: list = [None] * VISITORS

    def visit(i: int) -> None:
        from django.db import connection

        barrier.wait()
        try:
            responses[i] = Client().get(url)
        finally:
            connection.close()

    threads = [threading.Thread(target=visit, args=(i,)) for i in range(VISITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def builds_queued() -> int:
    return DBTaskResult.objects.filter(task_path=BUILD).count()


def run_worker_batch() -> None:
    """What a `db_worker` does with the queue (in this process, without its signal handlers)."""
    ResilientWorker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()


@pytest.fixture
def stale_book(settings, campaign):
    """A built book, then a case published with the database queue: the book is stale, a build queued."""
    settings.CASEBOOK = {**settings.CASEBOOK, "COMPILATION_BUILD_ON_CHANGE": True, "COMPILATION_DELAY_SECONDS": 0}
    committed("published", campaign=campaign, region_code="440100", title="第一个案例")
    last = tasks.build(campaign.pk)
    assert last.state == CompilationState.READY and last.case_count == 1
    settings.TASKS = DATABASE_QUEUE
    committed("published", campaign=campaign, region_code="330100", title="第二个案例")
    assert builds_queued() == 1
    return last


def assert_nothing_built_since(last: Compilation) -> None:
    now = Compilation.objects.get(pk=last.pk)
    assert (now.file.name, now.built_at, now.state) == (last.file.name, last.built_at, CompilationState.PENDING)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_visitors_of_a_stale_book_get_the_last_one_and_queue_nothing_more(stale_book):
    responses = visit_together(_url(stale_book.campaign))
    assert [r.status_code for r in responses] == [200] * VISITORS
    assert {r["X-Compilation-Status"] for r in responses} == {CompilationState.PENDING}
    assert_nothing_built_since(stale_book)
    assert builds_queued() == 1  # the publication's, nothing from the visitors

    run_worker_batch()  # the one background build
    built = Compilation.objects.get(pk=stale_book.pk)
    assert built.state == CompilationState.READY and built.case_count == 2 and built.built_at > stale_book.built_at
    assert [t.status for t in DBTaskResult.objects.filter(task_path=BUILD)] == ["SUCCESSFUL"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_visitors_of_a_book_whose_build_was_lost_queue_exactly_one(stale_book):
    """The queued build is gone (e.g. its row was pruned) and the request is old: the visitors
    queue it again, one of them only (a conditional update decides which)."""
    DBTaskResult.objects.all().delete()
    Compilation.objects.filter(pk=stale_book.pk).update(requested_at=timezone.now() - timedelta(minutes=20))
    responses = visit_together(_url(stale_book.campaign))
    assert [r.status_code for r in responses] == [200] * VISITORS
    assert_nothing_built_since(stale_book)
    assert builds_queued() == 1
    run_worker_batch()
    assert Compilation.objects.get(pk=stale_book.pk).case_count == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_build_of_a_campaign_waits_for_none_and_renders_nothing(settings, campaign):
    """While one build holds the campaign (another worker), a second returns at once, unbuilt."""
    settings.CASEBOOK = {**settings.CASEBOOK, "COMPILATION_BUILD_ON_CHANGE": False}
    committed("published", campaign=campaign, region_code="440100", title="第一个案例")
    holding, release = threading.Event(), threading.Event()

    def other_build() -> None:
        from django.db import connection

        try:
            with tasks.single_flight(campaign.pk) as held:
                assert held
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    other = threading.Thread(target=other_build)
    other.start()
    try:
        assert holding.wait(30)
        result = tasks.build(campaign.pk)
        assert not result.file and result.built_at is None and result.state == CompilationState.PENDING
    finally:
        release.set()
        other.join(30)
    assert tasks.build(campaign.pk).state == CompilationState.READY  # free again
