"""The contract fuzz run (issue 14): schemathesis reads the API's own OpenAPI document and sends
what it generates to a live test server, signed in (Bearer) as a submitter, a recommender, a
reviewer and the secretariat, with every check it has: no server error, the status codes, content
types, headers and bodies the document declares. Zero failures, or the test fails.

Replay: the examples are derandomized (the same for a given schemathesis and hypothesis version)
and their number per operation is EXAMPLES; a failure names the operation and the request.
`DELETE /api/v1/auth/token` is left out: it revokes the very token the run signs in with. Two
checks are left out because a schema cannot state the business rules: "schema-valid data is
accepted" (a well-formed but unknown campaign slug, a NUL the input guard refuses, a date in the
future are 400s by design) and its converse for schema-invalid data.
"""

from __future__ import annotations

import pytest

from accounts.models import AccessToken
from cases.api.schema import build_schema
from tests import factories
from tests.factories import CampaignFactory
from tests.workflow_paths import bring_to

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXCLUDED = [checks.positive_data_acceptance, checks.negative_data_rejection]
EXAMPLES = 8  # per operation and role: ~35 operations × 4 roles × 8 ≈ 1,100 requests
SKIPPED = {("DELETE", "/api/v1/auth/token")}
ROLES = {
    "submitter": lambda: factories.submitter("440100", username="fuzz-sub"),
    "recommender": lambda: factories.recommender("440000", username="fuzz-rec"),
    "reviewer": lambda: factories.reviewer("110000", username="fuzz-rev"),
    "secretariat": lambda: factories.secretariat(username="fuzz-sec"),
}


def world() -> None:
    """A case in each state an endpoint may be about, in the submitter's and recommender's scope."""
    campaign = CampaignFactory()
    for state in ("draft", "submitted", "published", "in_notice"):
        bring_to(state, campaign=campaign, region_code="440100")


@pytest.mark.parametrize("role", ROLES)
def test_the_api_keeps_its_contract(live_server, role):
    world()
    token = AccessToken.issue(ROLES[role]())[1]
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_dict(build_schema())
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def exercise(case):
            case.call_and_validate(base_url=live_server.url, headers=headers, excluded_checks=EXCLUDED)

        try:
            exercise()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected and reported below
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, f"{len(failures)} operations failed as {role}:\n" + "\n\n".join(failures)
