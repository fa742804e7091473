"""A campaign's reports checked in batches (issue 17, part 6): the same figures and sources as
one by one, fewer round trips, and each task's report made once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from similarity import services
from similarity.models import Report

from . import texts

FIGURES = ("total_ratio", "max_single_ratio", "ratio_excluding_own", "ratio_excluding_policy",
           "ratio_other_units", "flagged", "same_organisation_flagged")


def snapshot(report: Report) -> tuple:
    sources = [(s.kind, s.case_id, s.policy_id, s.ratio, s.same_organisation, s.passages) for s in report.sources.all()]
    return tuple(getattr(report, name) for name in FIGURES), sources


def submitted_cases(make_case) -> list:
    make_case("published", texts.source_fields(), region="330100", organisation="杭州市某街道办事处")
    return [
        make_case("submitted", texts.disguised_copy_fields()),
        make_case("submitted", texts.ORIGINAL_FIELDS, organisation="某县文化馆"),
        make_case("submitted", texts.policy_quoting_fields(), organisation="某市图书馆"),
        make_case("submitted", texts.source_fields(), organisation="另一个街道办事处"),
    ]


def test_a_batch_gives_the_reports_one_by_one_would(make_case):
    cases = submitted_cases(make_case)
    one_by_one = {c.pk: snapshot(services.run_report(Report.objects.create(case=c, version=1).pk)) for c in cases}

    pending = [Report.objects.create(case=c, version=1) for c in cases]
    done = services.run_reports([r.pk for r in pending])

    assert [r.pk for r in done] == [r.pk for r in pending]
    for report in pending:
        report.refresh_from_db()
        assert report.status == "ready"
        assert snapshot(report) == one_by_one[report.case_id]
    assert any(figures[0] >= 0.5 for figures, _ in one_by_one.values())  # the batch had copies to find


def test_a_batch_costs_fewer_queries_than_its_reports_one_by_one(make_case):
    cases = submitted_cases(make_case)
    single = Report.objects.create(case=cases[0], version=1)
    with CaptureQueriesContext(connection) as one:
        services.run_reports([single.pk])
    pending = [Report.objects.create(case=c, version=1) for c in cases]
    with CaptureQueriesContext(connection) as batch:
        services.run_reports([r.pk for r in pending])
    assert len(batch) < 2 * len(one) < len(cases) * len(one)


def test_a_task_checks_the_other_pending_reports_and_theirs_then_find_them_done(make_case):
    cases = submitted_cases(make_case)
    pending = [Report.objects.create(case=c, version=1) for c in cases]

    done = services.run_queued(pending[1].pk)

    assert {r.pk for r in done} == {r.pk for r in pending}
    assert not Report.objects.filter(status="pending").exists()
    with CaptureQueriesContext(connection) as later:
        assert services.run_queued(pending[0].pk) == []
    assert len([q for q in later.captured_queries if "SAVEPOINT" not in q["sql"]]) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_worker_skips_the_reports_another_has_claimed(make_case):
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("row locks (PostgreSQL): SQLite computes a batch outside a transaction")
    case = make_case("submitted", texts.ORIGINAL_FIELDS)
    pending = [Report.objects.create(case=case, version=1) for _ in range(3)]
    seen: dict[str, list] = {}

    def second_worker():
        try:
            seen["claimed"] = services.run_queued(pending[0].pk)
            seen["free"] = services.run_queued(pending[1].pk)
        finally:
            connection.close()

    with transaction.atomic():  # the first worker is still checking pending[0]
        list(Report.objects.select_for_update().filter(pk=pending[0].pk))
        worker = threading.Thread(target=second_worker)
        worker.start()
        worker.join()

    assert seen["claimed"] == []
    assert {r.pk for r in seen["free"]} == {pending[1].pk, pending[2].pk}
    assert Report.objects.get(pk=pending[0].pk).status == "pending"
