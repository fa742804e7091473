"""Two people acting on one case at once: exactly one wins (a row lock on PostgreSQL, the write
lock of an IMMEDIATE transaction on SQLite: config/settings/base.py)."""

import threading

import pytest
from django.db import connection

from cases import workflow
from cases.models import Case, CaseTransition
from tests import factories
from tests.factories import CampaignFactory
from tests.workflow_paths import bring_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_twenty_threads_one_transition_exactly_one_wins():
    campaign = CampaignFactory()
    case = bring_to("submitted", campaign=campaign)
    recommender = factories.recommender("440000", username="rec-440000")
    results: list[str] = []
    barrier = threading.Barrier(20)

    def act():
        try:
            barrier.wait()
            workflow.transition(case=case.pk, name="decline", by=recommender, reason="不符合要求")
            results.append("ok")
        except workflow.WorkflowError as exc:
            results.append(str(exc.status))
        finally:
            connection.close()

    threads = [threading.Thread(target=act) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1
    assert set(results) - {"ok"} == {"409"}
    assert Case.objects.get(pk=case.pk).status == "rejected"
    assert CaseTransition.objects.filter(case=case, transition="decline").count() == 1
