"""Every (state, transition, role) combination through the service: docs/domain.md §4 written out here.

Allowed ones succeed; every other one is refused with the status docs/api.md §Conventions gives it
(404 invisible, 409 impossible from this state, 403 not this role, 400 failed guard).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from cases import workflow
from cases.models import Case
from cases.review.assignment import auto_assign
from tests import factories
from tests.workflow_paths import PATHS, bring_to, notice, reviewer_pool

pytestmark = pytest.mark.django_db

STATES = list(PATHS)
SUB, REC, SEC = "submitter", "recommender", "secretariat"
# transition: (source states, {role: source states it may act from})
TABLE = {
    "submit": ({"draft", "returned"}, {SUB: "*"}),
    "withdraw": ({"draft", "submitted", "returned", "recommended"}, {SUB: "*"}),
    "recommend": ({"submitted"}, {REC: "*"}),
    "decline": ({"submitted"}, {REC: "*"}),
    "return_for_revision": ({"submitted", "recommended"}, {REC: {"submitted"}, SEC: {"recommended"}}),
    "pass_check": ({"recommended"}, {SEC: "*"}),
    "fail_check": ({"recommended"}, {SEC: "*"}),
    "start_review": ({"eligible"}, {SEC: "*"}),
    "complete_review": ({"in_review"}, {SEC: "*"}),
    "shortlist": ({"reviewed"}, {SEC: "*"}),
    "not_select": ({"reviewed"}, {SEC: "*"}),
    "open_notice": ({"shortlisted"}, {SEC: "*"}),
    "publish": ({"in_notice"}, {SEC: "*"}),
    "disqualify": ({"in_notice"}, {SEC: "*"}),
    "revoke": ({"published"}, {SEC: "*"}),
    "reopen": ({"rejected"}, {SEC: "*"}),
    "reconsider": ({"not_selected"}, {SEC: "*"}),
}
TARGET = {
    "submit": "submitted", "withdraw": "withdrawn", "recommend": "recommended", "decline": "rejected",
    "return_for_revision": "returned", "pass_check": "eligible", "fail_check": "rejected",
    "start_review": "in_review", "complete_review": "reviewed", "shortlist": "shortlisted",
    "not_select": "not_selected", "open_notice": "in_notice", "publish": "published", "disqualify": "disqualified",
    "revoke": "disqualified", "reopen": "recommended", "reconsider": "reviewed",
}
INPUTS = {"reason": "理由说明", "tier": "excellent", **notice(running=False)}


def visible(actor: str, state: str) -> bool:
    if state == "published" or actor == SEC:
        return True
    if actor == SUB:
        return True
    if actor == REC:
        return state != "draft"
    return False  # other-region users, unassigned reviewers, the public


def expected_status(actor: str, role: str, name: str, state: str) -> int:
    sources, who = TABLE[name]
    if not visible(actor, state):
        return 404
    if state not in sources:
        return 409
    allowed = who.get(role)
    if allowed is None or (allowed != "*" and state not in allowed) or actor.endswith("_other"):
        return 403
    if name == "complete_review":
        return 400  # the base case's scores are not all final (the last final score completes it by itself)
    if name == "publish":
        return 400  # the base case's notice is still running
    if name == "disqualify":
        return 400  # only after an upheld objection
    return 200


def test_every_state_transition_role_combination(campaign):
    actors = {
        SUB: (SUB, factories.submitter("440100", username="sub-440100")),
        REC: (REC, factories.recommender("440000", username="rec-440000")),
        SEC: (SEC, factories.secretariat(username="secretariat-test")),
        "reviewer": ("reviewer", factories.reviewer("110000", username="rev")),
        "submitter_other": (SUB, factories.submitter("330100", username="s-hz")),
        "recommender_other": (REC, factories.recommender("330000", username="r-zj")),
        "public": (None, AnonymousUser()),
    }
    base = {state: bring_to(state, campaign=campaign) for state in STATES}
    tried = successes = 0
    for state in STATES:
        for name in TABLE:
            for actor, (role, user) in actors.items():
                want = expected_status(actor, role, name, state)
                # Other-region users see published cases only: their refusals are 403 there, 404 elsewhere.
                if actor.endswith("_other") and state != "published":
                    want = 404
                case = bring_to(state, campaign=campaign) if want == 200 else base[state]
                if want == 200 and name == "start_review":
                    reviewer_pool(campaign)
                    auto_assign(campaign=campaign, by=actors[SEC][1], cases=[case])
                try:
                    result = workflow.transition(case=case.pk, name=name, by=user, **INPUTS)
                except workflow.WorkflowError as exc:
                    got, message = exc.status, exc.message
                else:
                    got, message = 200, ""
                    assert result.status == TARGET[name]
                    assert result.history.last().transition == name
                    successes += 1
                assert got == want, (state, name, actor, message)
                if got != 200:
                    assert message and Case.objects.get(pk=case.pk).status == state
                tried += 1
    assert tried == len(STATES) * len(TABLE) * len(actors)
    assert successes == sum(
        1 for s in STATES for n in TABLE for a, (r, _) in actors.items()
        if not a.endswith("_other") and expected_status(a, r, n, s) == 200
    )
