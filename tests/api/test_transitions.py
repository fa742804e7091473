"""The workflow over HTTP: available transitions, performing them (with their errors), and history."""

import pytest

from cases.models import Case
from tests.factories import case_in, recommender, secretariat, submitter

from .conftest import API, assert_chinese_error, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def gz():
    return sign_in(submitter("440100", username="sub-440100"))


def names(client, case) -> list[str]:
    return [t["name"] for t in client.get(f"{API}/submissions/{case.pk}/transitions").json()]


def test_available_transitions_follow_role_and_state(gz, campaign):
    draft = case_in("draft", region_code="440100", campaign=campaign)
    submitted = case_in("submitted", region_code="440100", campaign=campaign)
    listed = gz.get(f"{API}/submissions/{draft.pk}/transitions").json()
    assert listed == [
        {"name": "submit", "label": "提交", "requires_reason": False},
        {"name": "withdraw", "label": "撤回", "requires_reason": True},
    ]
    rec = sign_in(recommender("440000", username="rec-440000"))
    assert names(rec, submitted) == ["recommend", "decline", "return_for_revision"]
    assert names(gz, submitted) == ["withdraw"]
    assert names(sign_in(secretariat(username="sec")), submitted) == []


def test_submit_then_recommend(gz, campaign):
    case = case_in("draft", region_code="440100", campaign=campaign)
    response = gz.post(f"{API}/submissions/{case.pk}/transitions/submit", {}, format="json")
    assert response.json() == {"id": case.pk, "status": "submitted"}
    rec = sign_in(recommender("440000", username="rec-440000"))
    response = rec.post(
        f"{API}/submissions/{case.pk}/transitions/recommend", {"rank": 1, "expected_status": "submitted"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "recommended"
    assert Case.objects.get(pk=case.pk).history.last().extra == {"rank": 1}


def test_unknown_transition_is_404(gz, campaign):
    case = case_in("draft", region_code="440100", campaign=campaign)
    for name in ["fly", "import_published", "create"]:
        assert_chinese_error(gz.post(f"{API}/submissions/{case.pk}/transitions/{name}", {}, format="json"), 404)


def test_wrong_state_and_stale_expected_status_are_409(gz, campaign):
    case = case_in("submitted", region_code="440100", campaign=campaign)
    assert_chinese_error(gz.post(f"{API}/submissions/{case.pk}/transitions/submit", {}, format="json"), 409)
    body = {"reason": "单位调整", "expected_status": "draft"}
    assert_chinese_error(gz.post(f"{API}/submissions/{case.pk}/transitions/withdraw", body, format="json"), 409)
    assert Case.objects.get(pk=case.pk).status == "submitted"


def test_wrong_role_is_403_and_missing_reason_is_400(gz, campaign):
    case = case_in("submitted", region_code="440100", campaign=campaign)
    assert_chinese_error(gz.post(f"{API}/submissions/{case.pk}/transitions/recommend", {}, format="json"), 403)
    rec = sign_in(recommender("440000", username="rec-440000"))
    body = assert_chinese_error(rec.post(f"{API}/submissions/{case.pk}/transitions/decline", {}, format="json"), 400)
    assert "理由" in body["detail"]
    assert Case.objects.get(pk=case.pk).status == "submitted"


def test_failed_guard_is_400(gz, campaign):
    case = case_in("draft", region_code="440100", campaign=campaign)
    gz.patch(f"{API}/submissions/{case.pk}", {"summary": ""}, format="json")
    body = assert_chinese_error(gz.post(f"{API}/submissions/{case.pk}/transitions/submit", {}, format="json"), 400)
    assert "案例摘要" in body["detail"]


@pytest.mark.parametrize(
    "body",
    [{"reason": 5}, {"expected_status": "flying"}, {"rank": "first"}, {"rank": 0}, {"rank": True},
     {"deadline": "tomorrow"}, [1, 2], "text"],
)
def test_malformed_transition_bodies_are_400(gz, campaign, body):
    case = case_in("draft", region_code="440100", campaign=campaign)
    assert_chinese_error(gz.post(f"{API}/submissions/{case.pk}/transitions/withdraw", body, format="json"), 400)
    assert Case.objects.get(pk=case.pk).status == "draft"


def test_history_lists_every_transition(gz, campaign):
    case = case_in("returned", region_code="440100", campaign=campaign)
    rows = gz.get(f"{API}/submissions/{case.pk}/history").json()
    assert [(r["transition"], r["from"], r["to"]) for r in rows] == [
        ("create", None, "draft"),
        ("submit", "draft", "submitted"),
        ("return_for_revision", "submitted", "returned"),
    ]
    assert rows[0]["by"] == "sub-440100" and rows[2]["by"] == "rec-440000"
    assert rows[2]["reason"] == "请补充成效数据"
    assert rows[0]["at"].endswith("+08:00")
    assert set(rows[0]) == {"transition", "from", "to", "by", "at", "reason"}
