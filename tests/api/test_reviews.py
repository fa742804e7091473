"""The reviewer's API: my assignments, one case as I may see it, scoring, 回避 — and nothing more."""

from datetime import datetime

import pytest
from django.test import Client

from cases.models import Case, ReviewAssignment, ReviewerPoolMember
from cases.review.assignment import auto_assign
from tests import factories
from tests.workflow_paths import COMPLETE_FIELDS, bring_to, reviewer_pool

from .conftest import API, assert_chinese_error, sign_in

pytestmark = pytest.mark.django_db

FULL = {"innovation": 20, "effectiveness": 25, "replicability": 20, "leadership": 15}


def reviewers(case: Case) -> list:
    """The case's active assignments with a signed-in client for each reviewer."""
    assignments = case.review_assignments.exclude(status="conflict").select_related("reviewer").order_by("pk")
    return [(a, sign_in(a.reviewer)) for a in assignments]


@pytest.fixture
def in_review(campaign):
    return bring_to("in_review", campaign=campaign)


def test_list_shows_my_assignments_only_with_deadline(campaign, in_review):
    campaign.review_deadline = datetime.fromisoformat("2026-11-23T18:00:00+08:00")
    campaign.save(update_fields=["review_deadline"])
    other = bring_to("in_review", campaign=campaign, title="另一个案例")
    (mine, client), _ = reviewers(in_review)
    body = client.get(f"{API}/reviews").json()
    assert body["count"] == 2 and body["page"] == 1 and body["page_size"] == 20
    ids = {item["id"] for item in body["results"]}
    assert ids == set(ReviewAssignment.objects.filter(reviewer=mine.reviewer).values_list("pk", flat=True))
    item = next(i for i in body["results"] if i["id"] == mine.pk)
    assert item == {
        "id": mine.pk, "case": {"id": in_review.pk, "title": in_review.title}, "status": "pending",
        "deadline": "2026-11-23T18:00:00+08:00",
    }
    assert {i["case"]["id"] for i in body["results"]} == {in_review.pk, other.pk}
    assert client.get(f"{API}/reviews", {"status": "final"}).json()["count"] == 0
    assert_chinese_error(client.get(f"{API}/reviews", {"status": "nonsense"}), 400)


def test_list_is_for_reviewers_only(anon, in_review):
    assert_chinese_error(anon.get(f"{API}/reviews"), 401)
    for user in [factories.secretariat(username="sec"), factories.submitter("440100", username="sub-440100")]:
        assert_chinese_error(sign_in(user).get(f"{API}/reviews"), 403)
    assignment = in_review.review_assignments.first()
    assert_chinese_error(sign_in(factories.secretariat(username="sec")).get(f"{API}/reviews/{assignment.pk}"), 403)


def test_detail_has_the_case_without_contacts_and_the_rubric(in_review):
    (mine, client), _ = reviewers(in_review)
    response = client.get(f"{API}/reviews/{mine.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "pending" and body["final"] is False and body["scores"] == {} and body["total"] is None
    assert body["rubric"][0] == {"code": "innovation", "name": "创新性", "description": "", "max": 25}
    assert [c["code"] for c in body["rubric"]] == ["innovation", "effectiveness", "replicability", "leadership"]
    case = body["case"]
    assert case["id"] == in_review.pk and case["title"] == in_review.title
    assert case["region"] == {"code": "440100", "name": "广州市"} and case["province"]["code"] == "440000"
    assert case["organisation"] == COMPLETE_FIELDS["organisation"] and case["approach"] == COMPLETE_FIELDS["approach"]
    assert case["indicators"][0]["name"] == "培训人次" and case["images"][0]["url"].startswith("/files/images/")
    assert case["attachments"][0]["url"].startswith("/files/attachments/")
    # The permission-checking file views (signed in on the site) let the assigned reviewer open them.
    browser = Client()
    browser.force_login(mine.reviewer)
    image = case["images"][0]
    assert image["url"] == f"/files/images/{image['id']}/max-800x600/"
    # The original, not a rendition: Wagtail caches renditions by image id across tests.
    assert browser.get(image["original_url"]).status_code == 200
    assert browser.get(case["attachments"][0]["url"]).status_code == 200
    text = response.content.decode()
    for secret in ("contact", COMPLETE_FIELDS["contact_phone"], COMPLETE_FIELDS["contact_email"], COMPLETE_FIELDS["contact_name"]):
        assert secret not in text


def test_organisation_hidden_when_the_campaign_says_so(campaign, in_review):
    campaign.hide_organisation_from_reviewers = True
    campaign.save(update_fields=["hide_organisation_from_reviewers"])
    (mine, client), _ = reviewers(in_review)
    response = client.get(f"{API}/reviews/{mine.pk}")
    assert response.json()["case"]["organisation"] is None
    assert COMPLETE_FIELDS["organisation"] not in response.content.decode()
    # Nor through the signed-in case detail; the secretariat still sees it.
    submission = client.get(f"{API}/submissions/{in_review.pk}")
    assert submission.json()["organisation"] is None
    assert COMPLETE_FIELDS["organisation"] not in submission.content.decode()
    sec = sign_in(factories.secretariat(username="sec"))
    assert sec.get(f"{API}/submissions/{in_review.pk}").json()["organisation"] == COMPLETE_FIELDS["organisation"]


def test_scoring_draft_then_final_then_locked_and_review_completes(in_review):
    (first, a), (second, b) = reviewers(in_review)
    response = a.put(f"{API}/reviews/{first.pk}", {"scores": {"innovation": 20}, "comment": "有创新"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "draft" and body["scores"] == {"innovation": 20} and body["total"] is None
    response = a.put(f"{API}/reviews/{first.pk}", {"scores": FULL, "comment": "做法扎实", "final": True}, format="json")
    assert response.json()["status"] == "final" and response.json()["total"] == 80 and response.json()["final"] is True
    body = assert_chinese_error(a.put(f"{API}/reviews/{first.pk}", {"scores": FULL}, format="json"), 409)
    assert "已提交" in body["detail"]
    assert Case.objects.get(pk=in_review.pk).status == "in_review"
    b.put(f"{API}/reviews/{second.pk}", {"scores": FULL, "final": True}, format="json")
    assert Case.objects.get(pk=in_review.pk).status == "reviewed"
    # Still readable once reviewed (the reviewer sees assigned cases through 公示).
    assert a.get(f"{API}/reviews/{first.pk}").json()["case"]["status"] == "reviewed"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"scores": {"innovation": 26}}, "0 到 25"),
        ({"scores": {"innovation": -1}}, "0 到 25"),
        ({"scores": {"originality": 5}}, "未知的评分项"),
        ({"scores": {"innovation": 2.5}}, "整数"),
        ({"scores": {"innovation": True}}, "整数"),
        ({"scores": {"innovation": 20}, "final": True}, "提交前请为以下各项打分"),
        ({"scores": [20, 30]}, "应为对象"),
        ({"comment": "缺少评分"}, "评分"),
        ({"scores": FULL, "total": 100}, "total"),
        ({"scores": FULL, "final": "perhaps"}, "true 或 false"),
        ({"scores": FULL, "comment": "长" * 3001}, "3000"),
    ],
)
def test_invalid_scores_are_400_in_chinese(in_review, body, words):
    (mine, client), _ = reviewers(in_review)
    response = assert_chinese_error(client.put(f"{API}/reviews/{mine.pk}", body, format="json"), 400)
    assert words in response["detail"], response
    mine.refresh_from_db()
    assert mine.status == "pending" and mine.scores == {}


def test_scoring_when_the_case_is_not_in_review_is_409(campaign):
    case = bring_to("eligible", campaign=campaign)
    reviewer_pool(campaign)
    auto_assign(campaign=campaign, by=factories.secretariat(username="sec"), cases=[case])
    (mine, client), _ = reviewers(case)
    body = assert_chinese_error(client.put(f"{API}/reviews/{mine.pk}", {"scores": FULL}, format="json"), 409)
    assert "评审阶段" in body["detail"]
    # The case itself is not visible to the reviewer before the review starts.
    assert_chinese_error(client.get(f"{API}/reviews/{mine.pk}"), 404)


def test_another_reviewers_assignment_is_404_everywhere(campaign, in_review):
    (mine, a), (theirs, b) = reviewers(in_review)
    b.put(f"{API}/reviews/{theirs.pk}", {"scores": {"innovation": 3}, "comment": "其他专家的私密意见"}, format="json")
    outsider = sign_in(factories.reviewer("420000", username="rev-outsider"))
    for client, pk in [(a, theirs.pk), (outsider, mine.pk), (outsider, theirs.pk), (a, 999_999)]:
        assert_chinese_error(client.get(f"{API}/reviews/{pk}"), 404)
        assert_chinese_error(client.put(f"{API}/reviews/{pk}", {"scores": FULL}, format="json"), 404)
        assert_chinese_error(client.post(f"{API}/reviews/{pk}/conflict", {"reason": "同事"}, format="json"), 404)
    theirs.refresh_from_db()
    assert theirs.scores == {"innovation": 3} and theirs.status == "draft"
    # My own view of the case shows neither their scores nor their comment.
    text = a.get(f"{API}/reviews/{mine.pk}").content.decode()
    assert "其他专家的私密意见" not in text and str(theirs.reviewer.username) not in text
    assert a.get(f"{API}/reviews/{mine.pk}").json()["scores"] == {}


def test_reviewer_cannot_read_unassigned_cases_or_any_scores(campaign, in_review):
    unassigned = bring_to("in_review", campaign=campaign, title="未分配给该专家")
    outsider_user = factories.reviewer("420000", username="rev-outsider")
    outsider = sign_in(outsider_user)
    (mine, a), _ = reviewers(in_review)
    for path in ["", "/scores", "/history", "/transitions", "/images", "/attachments"]:
        assert_chinese_error(outsider.get(f"{API}/submissions/{in_review.pk}{path}"), 404)
    assert_chinese_error(outsider.get(f"{API}/submissions/{unassigned.pk}/scores"), 404)
    # Assigned: the case is readable as a submission (without contacts), its scores are not.
    assert a.get(f"{API}/submissions/{in_review.pk}").json()["contact_phone"] is None
    body = assert_chinese_error(a.get(f"{API}/submissions/{in_review.pk}/scores"), 403)
    assert "组织方" in body["detail"]
    listing = outsider.get(f"{API}/submissions").json()
    assert listing["count"] == 0
    assert outsider.get(f"{API}/reviews").json()["count"] == 0


def test_declaring_a_conflict_reassigns_and_hides_the_case(campaign, in_review):
    spare = factories.reviewer("420000", username="rev-420000", organisation="武汉某高校")
    ReviewerPoolMember.objects.create(campaign=campaign, reviewer=spare)
    (mine, client), _ = reviewers(in_review)
    assert_chinese_error(client.post(f"{API}/reviews/{mine.pk}/conflict", {}, format="json"), 400)
    assert_chinese_error(client.post(f"{API}/reviews/{mine.pk}/conflict", {"reason": "  "}, format="json"), 400)
    response = client.post(f"{API}/reviews/{mine.pk}/conflict", {"reason": "曾参与该项目咨询"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"id": mine.pk, "status": "conflict", "reassigned": 1}
    assert ReviewAssignment.objects.filter(case=in_review, reviewer=spare, status="pending").exists()
    listed = client.get(f"{API}/reviews").json()["results"]
    assert [(i["id"], i["status"]) for i in listed] == [(mine.pk, "conflict")]
    body = assert_chinese_error(client.get(f"{API}/reviews/{mine.pk}"), 404)
    assert "回避" in body["detail"]
    assert_chinese_error(client.get(f"{API}/submissions/{in_review.pk}"), 404)
    assert_chinese_error(client.put(f"{API}/reviews/{mine.pk}", {"scores": FULL}, format="json"), 409)
    assert_chinese_error(client.post(f"{API}/reviews/{mine.pk}/conflict", {"reason": "再次"}, format="json"), 409)
    assert sign_in(spare).get(f"{API}/reviews").json()["count"] == 1


def test_conflict_without_a_replacement_reports_zero(in_review):
    (mine, client), _ = reviewers(in_review)
    response = client.post(f"{API}/reviews/{mine.pk}/conflict", {"reason": "同一课题组"}, format="json")
    assert response.json() == {"id": mine.pk, "status": "conflict", "reassigned": 0}


ODD_BODIES = [None, "{", "[]", "123", '{"scores": {"innovation": {"a": 1}}, "comment": 5, "final": []}',
              '{"scores": {"innovation": "9" }, "reason": ["x"]}', '{"scores": null}']


def test_odd_input_never_makes_a_server_error(in_review):
    (mine, client), _ = reviewers(in_review)
    client.raise_request_exception = False
    for url in [f"{API}/reviews", f"{API}/reviews/{mine.pk}", f"{API}/reviews/{mine.pk}/conflict"]:
        for method in ["get", "head", "options"]:
            response = getattr(client, method)(url, {"page": "x", "status": "\x00"})
            assert response.status_code < 500, (method, url)
        for method in ["post", "put", "patch", "delete"]:
            for body in ODD_BODIES:
                response = getattr(client, method)(url, body, content_type="application/json")
                assert response.status_code < 500, (method, url, body, response.content)
                if response.status_code >= 400:
                    assert isinstance(response.json().get("detail"), str), (method, url, body)
