"""Every (state, transition, role) combination through POST /submissions/{id}/transitions/{name}.

The expectations are the service-level matrix's (tests/cases/test_transition_matrix.py, which
writes docs/domain.md §4 out), seen through HTTP: the same 404 / 409 / 403 / 400 / 200, plus 401 for
anyone not signed in (docs/api.md §Conventions), and on success exactly `{"id", "status"}`. Base cases are shared
per state; a fresh case is made only for a transition expected to succeed.
"""

import pytest

from cases.models import Case
from cases.permissions import REVIEWER_STATES
from cases.review.assignment import auto_assign
from tests import factories
from tests.cases.test_transition_matrix import REC, SEC, STATES, SUB, TABLE, TARGET, expected_status
from tests.workflow_paths import bring_to, reviewer_pool

from .conftest import API, sign_in

pytestmark = pytest.mark.django_db

# The API takes the reason and a shortlist's tier in the body; `open_notice` computes its window.
BODY = {"reason": "理由说明", "tier": "excellent"}
ANONYMOUS = "anonymous"
ASSIGNED = "reviewer_assigned"


def api_expected(actor: str, role: str | None, name: str, state: str) -> int:
    if actor == ANONYMOUS:
        return 401
    if actor == ASSIGNED:
        # Assigned to every base case from in_review on (workflow_paths' pool of rev-110000, rev-310000).
        visible = state in REVIEWER_STATES or state == "published"
        return 404 if not visible else 409 if state not in TABLE[name][0] else 403
    want = expected_status(actor, role, name, state)
    # Other-region users see published cases only: their refusals are 403 there, 404 elsewhere.
    if actor.endswith("_other") and state != "published":
        want = 404
    return want


def test_every_state_transition_role_combination_over_http(campaign):
    from rest_framework.test import APIClient

    users = {
        SUB: (SUB, factories.submitter("440100", username="sub-440100")),
        REC: (REC, factories.recommender("440000", username="rec-440000")),
        SEC: (SEC, factories.secretariat(username="secretariat-test")),
        "reviewer": ("reviewer", factories.reviewer("110000", username="rev-unassigned")),
        "submitter_other": (SUB, factories.submitter("330100", username="s-hz")),
        "recommender_other": (REC, factories.recommender("330000", username="r-zj")),
    }
    base = {state: bring_to(state, campaign=campaign) for state in STATES}
    # rev-110000 now exists (the pool bring_to made) and is assigned to every base case from in_review on.
    assigned = factories.reviewer("110000", username="rev-110000")
    users[ASSIGNED] = ("reviewer", assigned)
    clients = {actor: (role, sign_in(user)) for actor, (role, user) in users.items()}
    clients[ANONYMOUS] = (None, APIClient())

    tried = successes = 0
    for state in STATES:
        for name in TABLE:
            for actor, (role, client) in clients.items():
                want = api_expected(actor, role, name, state)
                case = bring_to(state, campaign=campaign) if want == 200 else base[state]
                if want == 200 and name == "start_review":
                    reviewer_pool(campaign)
                    auto_assign(campaign=campaign, by=users[SEC][1], cases=[case])
                response = client.post(f"{API}/submissions/{case.pk}/transitions/{name}", BODY, format="json")
                body = response.json()
                assert response.status_code == want, (state, name, actor, body)
                if want == 200:
                    assert body == {"id": case.pk, "status": TARGET[name]}, (state, name, actor)
                    assert Case.objects.get(pk=case.pk).history.last().transition == name
                    successes += 1
                else:
                    detail = body.get("detail")
                    assert isinstance(detail, str) and any("\u4e00" <= ch <= "\u9fff" for ch in detail), body
                tried += 1

    assert tried == len(STATES) * len(TABLE) * len(clients)
    assert successes == sum(
        1 for s in STATES for n in TABLE for a, (r, _) in clients.items() if api_expected(a, r, n, s) == 200
    )
    assert successes == sum(
        1 for s in STATES for n in TABLE for a, (r, _) in users.items()
        if a != ASSIGNED and not a.endswith("_other") and expected_status(a, r, n, s) == 200
    )
    # No refusal moved a base case.
    assert {c.pk: c.status for c in Case.objects.filter(pk__in=[c.pk for c in base.values()])} == {
        c.pk: state for state, c in base.items()
    }
