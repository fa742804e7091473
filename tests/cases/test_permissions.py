"""The visibility table of docs/domain.md §3, answered by cases/permissions.py."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cases import permissions
from cases.states import CaseStatus
from tests import factories
from tests.workflow_paths import PATHS, bring_to

pytestmark = pytest.mark.django_db

ALL_STATES = list(PATHS)
REVIEWER_STATES = {"in_review", "reviewed", "shortlisted", "not_selected", "in_notice"}


@pytest.fixture
def cases_by_state(campaign):
    """One case per state in 广州 (广东), plus a draft and a submitted case in 杭州 (浙江)."""
    cases = {state: bring_to(state, campaign=campaign, region_code="440100") for state in ALL_STATES}
    cases["zj_draft"] = bring_to("draft", campaign=campaign, region_code="330100")
    cases["zj_submitted"] = bring_to("submitted", campaign=campaign, region_code="330100")
    return cases


def expected(role: str, relation: str, state: str) -> bool:
    """docs/domain.md §3, written out independently of the implementation."""
    if state == "published":
        return True
    if role == "secretariat":
        return True
    if role == "submitter":
        return relation == "same"
    if role == "recommender":
        return relation == "same" and state != "draft"
    return False  # reviewers (unassigned) and the public


def test_visibility_table(cases_by_state):
    users = {
        ("submitter", "same"): factories.submitter("440100", username="s-gz"),
        ("submitter", "province_level_same"): factories.submitter("440000", username="s-gd"),
        ("submitter", "other"): factories.submitter("330100", username="s-hz"),
        ("submitter", "sibling_city"): factories.submitter("440300", username="s-sz"),
        ("recommender", "same"): factories.recommender("440000", username="r-gd"),
        ("recommender", "other"): factories.recommender("330000", username="r-zj"),
        ("secretariat", "any"): factories.secretariat(username="sec"),
        ("reviewer", "unassigned"): factories.reviewer("110000", username="rev"),
        ("public", "anonymous"): AnonymousUser(),
    }
    checked = 0
    for (role, relation), user in users.items():
        visible = set(permissions.visible_cases(user).values_list("pk", flat=True))
        for state in ALL_STATES:
            case = cases_by_state[state]
            rel = "same" if relation in {"same", "province_level_same"} else relation
            assert (case.pk in visible) == expected(role, rel, state), (role, relation, state)
            assert permissions.can_view_case(user, case) == (case.pk in visible)
            checked += 1
    assert checked == len(users) * len(ALL_STATES)
    # The other province's cases follow the same rules from the other side.
    zj_rec = users[("recommender", "other")]
    assert permissions.can_view_case(zj_rec, cases_by_state["zj_submitted"])
    assert not permissions.can_view_case(zj_rec, cases_by_state["zj_draft"])


def test_disabled_user_sees_only_public(cases_by_state):
    user = factories.secretariat(username="gone")
    user.is_active = False
    user.save()
    visible = set(permissions.visible_cases(user).values_list("status", flat=True))
    assert visible == {CaseStatus.PUBLISHED}


def test_editing_only_in_scope_and_editable_states(cases_by_state):
    gz = factories.submitter("440100", username="s-gz")
    hz = factories.submitter("330100", username="s-hz")
    assert permissions.can_edit_case(gz, cases_by_state["draft"])
    assert permissions.can_edit_case(gz, cases_by_state["returned"])
    assert not permissions.can_edit_case(gz, cases_by_state["submitted"])
    assert not permissions.can_edit_case(hz, cases_by_state["draft"])
    assert not permissions.can_edit_case(factories.secretariat(username="sec"), cases_by_state["draft"])


def test_files_and_contacts(cases_by_state):
    published = cases_by_state["published"]
    public_att = published.attachments.get()
    assert public_att.public
    anon = AnonymousUser()
    assert permissions.can_view_attachment(anon, public_att)
    assert not permissions.can_view_attachment(anon, cases_by_state["submitted"].attachments.get())
    assert not permissions.can_view_image(anon, cases_by_state["submitted"].images.get())
    assert permissions.can_view_image(anon, published.images.get())
    hz = factories.submitter("330100", username="s-hz")
    assert not permissions.can_view_attachment(hz, cases_by_state["draft"].attachments.get())
    assert not permissions.can_view_contacts(anon, published)
    assert not permissions.can_view_contacts(hz, published)
    assert permissions.can_view_contacts(factories.recommender("440000", username="r-gd"), cases_by_state["submitted"])
    assert not permissions.can_view_contacts(factories.recommender("440000", username="r-gd"), cases_by_state["draft"])


def test_recommendation_letter_never_public(cases_by_state):
    from cases.models.cases import AttachmentKind

    att = cases_by_state["published"].attachments.get()
    att.kind = AttachmentKind.RECOMMENDATION_LETTER
    att.public = True
    att.save()
    att.refresh_from_db()
    assert att.public is False
    assert not permissions.can_view_attachment(AnonymousUser(), att)


def test_reviewers_never_see_the_recommendation_letter(campaign):
    from cases.models import ReviewAssignment
    from cases.models.cases import AttachmentKind

    case = bring_to("in_review", campaign=campaign)
    att = case.attachments.get()
    att.kind = AttachmentKind.RECOMMENDATION_LETTER
    att.save()
    reviewer = ReviewAssignment.objects.filter(case=case).first().reviewer
    assert permissions.can_view_case(reviewer, case)
    assert not permissions.can_view_attachment(reviewer, att)
    assert list(permissions.visible_attachments(reviewer, case)) == []
    assert permissions.can_view_attachment(factories.secretariat(username="sec"), att)
