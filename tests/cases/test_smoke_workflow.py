import pytest

from cases.models import Case, CaseTransition
from tests.factories import case_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "published", "disqualified"])
def test_bring_to_reaches_state_through_workflow(state, campaign):
    case = case_in(state, campaign=campaign)
    assert case.status == state
    assert CaseTransition.objects.filter(case=case).first().transition == "create"
    assert Case.objects.get(pk=case.pk).history.last().to_state == state
