"""The secretariat's API: scores, ranking, assignment, 公示, publication, objections, extensions."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from cases.models import Case, Objection, ReviewAssignment
from cases.review.scoring import save_review
from cases.states import CampaignStatus
from tests import factories
from tests.workflow_paths import bring_to, reviewer_pool, score_all

from .conftest import API, assert_chinese_error, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def sec():
    return sign_in(factories.secretariat(username="secretariat-test"))


@pytest.fixture
def gz():
    return sign_in(factories.submitter("440100", username="sub-440100"))


@pytest.fixture
def rec():
    return sign_in(factories.recommender("440000", username="rec-440000"))


def objection(client, case, **overrides):
    body = {"name": "李明", "phone": "13900139000", "email": "liming@example.cn",
            "reason": "该案例的培训人次数据与公开报道不符。", **overrides}
    return client.post(f"{API}/cases/{case.pk}/objections", body, format="json")


# --- scores ------------------------------------------------------------------------------


def test_scores_for_the_secretariat_only(campaign, sec, gz, rec, anon):
    case = bring_to("in_review", campaign=campaign)
    first, second = case.review_assignments.select_related("reviewer").order_by("pk")
    save_review(assignment_id=first.pk, by=first.reviewer, scores={"innovation": 20}, comment="尚可")
    response = sec.get(f"{API}/submissions/{case.pk}/scores")
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [r["reviewer"] for r in rows] == [first.reviewer.username, second.reviewer.username]
    assert rows[0] | {"finalised_at": None} == {
        "reviewer": first.reviewer.username, "status": "draft", "scores": {"innovation": 20}, "total": None,
        "comment": "尚可", "final": False, "finalised_at": None,
    }
    # Those who see the case but may not see scores: 403; those who don't see it: 404.
    for client in [gz, rec, sign_in(first.reviewer)]:
        body = assert_chinese_error(client.get(f"{API}/submissions/{case.pk}/scores"), 403)
        assert "组织方" in body["detail"]
    other = sign_in(factories.submitter("330100", username="s-hz"))
    assert_chinese_error(other.get(f"{API}/submissions/{case.pk}/scores"), 404)
    assert_chinese_error(sec.get(f"{API}/submissions/999999/scores"), 404)
    assert_chinese_error(anon.get(f"{API}/submissions/{case.pk}/scores"), 401)


def test_scores_leave_out_declared_conflicts(campaign, sec):
    case = bring_to("in_review", campaign=campaign)
    ReviewAssignment.objects.filter(pk=case.review_assignments.first().pk).update(status="conflict")
    assert len(sec.get(f"{API}/submissions/{case.pk}/scores").json()) == 1


# --- ranking -----------------------------------------------------------------------------


def test_ranking_envelope_with_the_three_aggregations(campaign, sec, rec):
    skills = campaign.categories.get(code="skills")
    high = bring_to("in_review", campaign=campaign, title="高分")
    low = bring_to("in_review", campaign=campaign, title="低分")
    Case.objects.filter(pk=low.pk).update(category=skills)  # content only; bring_to uses the first category
    unscored = bring_to("in_review", campaign=campaign, title="未评分")
    score_all(high, total_share=0.9)
    score_all(low, total_share=0.5)
    response = sec.get(f"{API}/campaigns/{campaign.slug}/ranking")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["count"], body["page"], body["page_size"], body["aggregation"]) == (3, 1, 20, "trimmed_mean")
    first = body["results"][0]
    assert set(first) >= {"case", "n_scores", "mean", "trimmed_mean", "normalised", "rank", "status", "tier",
                          "min", "max", "stdev", "disagreement"}
    by_title = {r["case"]["title"]: r for r in body["results"]}
    assert by_title["高分"]["case"] == {"id": high.pk, "title": "高分"}
    assert by_title["高分"]["n_scores"] == 2 and by_title["高分"]["mean"] == 89  # 22 + 27 + 22 + 18
    assert by_title["高分"]["trimmed_mean"] is None  # fewer than 5 totals
    assert by_title["高分"]["status"] == "reviewed" and by_title["高分"]["tier"] is None
    assert by_title["高分"]["min"] == by_title["高分"]["max"] == 89 and by_title["高分"]["disagreement"] is False
    assert by_title["未评分"]["n_scores"] == 0 and by_title["未评分"]["rank"] is None
    assert by_title["未评分"]["case"]["id"] == unscored.pk and body["results"][-1]["case"]["id"] == unscored.pk

    campaign.aggregation = "mean"
    campaign.save(update_fields=["aggregation"])
    ranked = sec.get(f"{API}/campaigns/{campaign.slug}/ranking").json()["results"]
    assert [(r["case"]["id"], r["rank"]) for r in ranked] == [(high.pk, 1), (low.pk, 2), (unscored.pk, None)]

    only_skills = sec.get(f"{API}/campaigns/{campaign.slug}/ranking", {"category": "skills"}).json()
    assert [r["case"]["id"] for r in only_skills["results"]] == [low.pk]
    paged = sec.get(f"{API}/campaigns/{campaign.slug}/ranking", {"page_size": 1, "page": 2}).json()
    assert paged["count"] == 3 and [r["case"]["id"] for r in paged["results"]] == [low.pk]
    assert sec.get(f"{API}/campaigns/{campaign.slug}/ranking", {"page": 9}).json()["results"] == []

    assert "征集方向" in assert_chinese_error(
        sec.get(f"{API}/campaigns/{campaign.slug}/ranking", {"category": "nope"}), 400)["detail"]
    assert_chinese_error(sec.get(f"{API}/campaigns/{campaign.slug}/ranking", {"page_size": 101}), 400)
    assert_chinese_error(rec.get(f"{API}/campaigns/{campaign.slug}/ranking"), 403)
    assert_chinese_error(sec.get(f"{API}/campaigns/no-such-campaign/ranking"), 404)


def test_ranking_of_a_draft_campaign_is_hidden_from_non_staff(rec):
    draft = factories.CampaignFactory(status=CampaignStatus.DRAFT)
    assert_chinese_error(rec.get(f"{API}/campaigns/{draft.slug}/ranking"), 404)


# --- assignment --------------------------------------------------------------------------


def test_auto_assignment_through_the_api(campaign, sec, rec):
    a = bring_to("eligible", campaign=campaign, title="甲")
    b = bring_to("eligible", campaign=campaign, title="乙")
    assert_chinese_error(rec.post(f"{API}/campaigns/{campaign.slug}/assignments", {}, format="json"), 403)
    # No pool yet: nothing assigned, each case explained.
    body = sec.post(f"{API}/campaigns/{campaign.slug}/assignments", {}, format="json").json()
    assert body["created"] == 0 and len(body["problems"]) == 2 and "专家库" in body["problems"][0]
    reviewer_pool(campaign)
    response = sec.post(f"{API}/campaigns/{campaign.slug}/assignments")
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 4, "problems": []}
    assert {a.pk, b.pk} == set(ReviewAssignment.objects.values_list("case_id", flat=True))
    assert sec.post(f"{API}/campaigns/{campaign.slug}/assignments").json() == {"created": 0, "problems": []}
    assert_chinese_error(sec.post(f"{API}/campaigns/unknown/assignments"), 404)


# --- notice, objections, publication ------------------------------------------------------


def test_open_notice_for_all_shortlisted(campaign, sec, rec):
    a = bring_to("shortlisted", campaign=campaign, title="甲")
    b = bring_to("shortlisted", campaign=campaign, title="乙")
    assert_chinese_error(rec.post(f"{API}/campaigns/{campaign.slug}/notice", {}, format="json"), 403)
    body = assert_chinese_error(
        sec.post(f"{API}/campaigns/{campaign.slug}/notice", {"start": "2020-01-01"}, format="json"), 400)
    assert "早于今天" in body["detail"]
    assert "YYYY-MM-DD" in assert_chinese_error(
        sec.post(f"{API}/campaigns/{campaign.slug}/notice", {"start": "tomorrow"}, format="json"), 400)["detail"]
    assert_chinese_error(sec.post(f"{API}/campaigns/{campaign.slug}/notice", {"begin": "x"}, format="json"), 400)
    response = sec.post(f"{API}/campaigns/{campaign.slug}/notice", {}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    last_day = timezone.localdate() + timedelta(days=campaign.notice_days - 1)
    assert body == {"opened": [a.pk, b.pk], "refused": [], "notice_ends": f"{last_day.isoformat()}T23:59:59+08:00"}
    assert set(Case.objects.values_list("status", flat=True)) == {"in_notice"}
    body = assert_chinese_error(sec.post(f"{API}/campaigns/{campaign.slug}/notice", {}, format="json"), 400)
    assert "拟入选" in body["detail"]


def test_notice_may_start_on_a_later_day(campaign, sec):
    case = bring_to("shortlisted", campaign=campaign)
    start = timezone.localdate() + timedelta(days=2)
    body = sec.post(f"{API}/campaigns/{campaign.slug}/notice", {"start": start.isoformat()}, format="json").json()
    last_day = start + timedelta(days=campaign.notice_days - 1)
    assert body["opened"] == [case.pk] and body["notice_ends"].startswith(last_day.isoformat())


def test_open_objection_blocks_publication_until_dismissed(campaign, sec, anon, rec):
    blocked = bring_to("in_notice", campaign=campaign, title="有异议")
    clean = bring_to("in_notice", campaign=campaign, title="无异议")
    assert objection(anon, blocked).status_code == 201
    # While the notice runs nothing can be published.
    body = sec.post(f"{API}/campaigns/{campaign.slug}/publish").json()
    assert body["published"] == [] and {r["id"] for r in body["refused"]} == {blocked.pk, clean.pk}
    assert "结束后才能发布" in body["refused"][0]["detail"]
    Case.objects.filter(pk__in=[blocked.pk, clean.pk]).update(notice_ends=timezone.now() - timedelta(seconds=1))
    assert_chinese_error(rec.post(f"{API}/campaigns/{campaign.slug}/publish"), 403)
    body = sec.post(f"{API}/campaigns/{campaign.slug}/publish").json()
    assert body["published"] == [clean.pk]
    assert body["refused"] == [{"id": blocked.pk, "title": "有异议", "detail": "该案例有 1 条异议尚未处理，处理完毕后才能发布。"}]
    # The secretariat finds the objection on the case and dismisses it; publication goes through.
    listed = sec.get(f"{API}/submissions/{blocked.pk}/objections").json()
    assert len(listed) == 1 and listed[0]["outcome"] == "open" and listed[0]["phone"] == "13900139000"
    response = sec.post(f"{API}/objections/{listed[0]['id']}/ruling",
                        {"outcome": "dismissed", "conclusion": "经核实数据属实。"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"id": listed[0]["id"], "reference": listed[0]["reference"], "outcome": "dismissed",
                               "case": {"id": blocked.pk, "status": "in_notice"}}
    body = sec.post(f"{API}/campaigns/{campaign.slug}/publish").json()
    assert body == {"published": [blocked.pk], "refused": []}
    assert Case.objects.get(pk=blocked.pk).status == "published"


def test_ruling_upheld_disqualifies_and_errors(campaign, sec, anon, gz, rec):
    case = bring_to("in_notice", campaign=campaign)
    assert objection(anon, case).status_code == 201
    pk = Objection.objects.get().pk
    url = f"{API}/objections/{pk}/ruling"
    for client in [gz, rec]:
        assert_chinese_error(client.post(url, {"outcome": "upheld", "conclusion": "抄袭属实。"}, format="json"), 403)
        assert_chinese_error(client.get(f"{API}/submissions/{case.pk}/objections"), 403)
    assert_chinese_error(anon.post(url, {"outcome": "upheld", "conclusion": "抄袭属实。"}, format="json"), 401)
    assert_chinese_error(sec.post(url, {"outcome": "open", "conclusion": "x"}, format="json"), 400)
    assert_chinese_error(sec.post(url, {"conclusion": "x"}, format="json"), 400)
    assert "核查结论" in assert_chinese_error(sec.post(url, {"outcome": "upheld", "conclusion": " "}, format="json"), 400)["detail"]
    assert_chinese_error(sec.post(f"{API}/objections/999999/ruling", {"outcome": "upheld", "conclusion": "x"}, format="json"), 404)
    response = sec.post(url, {"outcome": "upheld", "conclusion": "抄袭属实。"}, format="json")
    assert response.json()["outcome"] == "upheld" and response.json()["case"] == {"id": case.pk, "status": "disqualified"}
    assert_chinese_error(sec.post(url, {"outcome": "dismissed", "conclusion": "改判"}, format="json"), 409)


def test_per_case_open_notice_computes_the_campaigns_window(campaign, sec):
    case = bring_to("shortlisted", campaign=campaign)
    response = sec.post(f"{API}/submissions/{case.pk}/transitions/open_notice", {}, format="json")
    assert response.json() == {"id": case.pk, "status": "in_notice"}
    case = Case.objects.get(pk=case.pk)
    ends = timezone.localtime(case.notice_ends, campaign.tzinfo)
    assert ends.date() == timezone.localdate() + timedelta(days=campaign.notice_days - 1)
    assert ends.time().isoformat() == "23:59:59" and case.notice_starts <= timezone.now()


# --- deadline extension -------------------------------------------------------------------


def test_extension_is_listed_for_the_secretariat_on_drafts_and_returned(campaign, sec, gz):
    draft = bring_to("draft", campaign=campaign)
    submitted = bring_to("submitted", campaign=campaign)
    listed = sec.get(f"{API}/submissions/{draft.pk}/transitions").json()
    assert {"name": "extend_deadline", "label": "批准延期", "requires_reason": False} in listed
    assert "extend_deadline" not in [t["name"] for t in sec.get(f"{API}/submissions/{submitted.pk}/transitions").json()]
    assert "extend_deadline" not in [t["name"] for t in gz.get(f"{API}/submissions/{draft.pk}/transitions").json()]


def test_extension_lets_a_late_case_be_submitted(campaign, sec, gz, rec):
    case = bring_to("draft", campaign=campaign)
    url = f"{API}/submissions/{case.pk}/transitions/extend_deadline"
    new_deadline = (timezone.localtime() + timedelta(days=3)).replace(microsecond=0)
    assert_chinese_error(gz.post(url, {"deadline": new_deadline.isoformat()}, format="json"), 403)
    assert_chinese_error(rec.post(url, {"deadline": new_deadline.isoformat()}, format="json"), 404)  # a draft
    assert "ISO 8601" in assert_chinese_error(sec.post(url, {"deadline": "next friday"}, format="json"), 400)["detail"]
    assert "截止时间" in assert_chinese_error(sec.post(url, {}, format="json"), 400)["detail"]
    past = (timezone.now() - timedelta(days=1)).isoformat()
    assert "晚于现在" in assert_chinese_error(sec.post(url, {"deadline": past}, format="json"), 400)["detail"]
    assert_chinese_error(sec.post(url, {"deadline": new_deadline.isoformat(), "expected_status": "returned"},
                                  format="json"), 409)
    # The call closes; the extension keeps this one case open.
    campaign.status = CampaignStatus.CLOSED
    campaign.submission_closes = timezone.now() - timedelta(hours=1)
    campaign.save(update_fields=["status", "submission_closes"])
    assert_chinese_error(gz.post(f"{API}/submissions/{case.pk}/transitions/submit", {}, format="json"), 400)
    response = sec.post(url, {"deadline": new_deadline.isoformat(), "reason": "因疫情延期"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"id": case.pk, "status": "draft", "deadline_extension": new_deadline.isoformat()}
    history = gz.get(f"{API}/submissions/{case.pk}/history").json()
    assert history[-1]["transition"] == "extend_deadline" and history[-1]["reason"] == "因疫情延期"
    assert gz.post(f"{API}/submissions/{case.pk}/transitions/submit", {}, format="json").json()["status"] == "submitted"
    assert_chinese_error(sec.post(url, {"deadline": new_deadline.isoformat()}, format="json"), 409)


def test_extension_accepts_a_naive_time_as_beijing_time(campaign, sec):
    case = bring_to("draft", campaign=campaign)
    day = date.today() + timedelta(days=5)
    response = sec.post(f"{API}/submissions/{case.pk}/transitions/extend_deadline",
                        {"deadline": f"{day.isoformat()}T18:00:00"}, format="json")
    assert response.json()["deadline_extension"] == f"{day.isoformat()}T18:00:00+08:00"
    assert Case.objects.get(pk=case.pk).deadline_extension == datetime.fromisoformat(f"{day.isoformat()}T18:00:00+08:00")


ODD_BODIES = [None, "{", "[]", "123", '{"start": 5, "outcome": ["x"], "conclusion": {"a": 1}}',
              '{"start": "9999-12-31", "deadline": "9999-12-31T23:59:59-12:00"}']


def test_odd_input_never_makes_a_server_error(campaign, sec, rec):
    case = bring_to("draft", campaign=campaign)
    factories.CampaignFactory(slug="empty")
    urls = [f"{API}/submissions/{case.pk}/scores", f"{API}/submissions/{case.pk}/objections",
            f"{API}/campaigns/{campaign.slug}/ranking", f"{API}/campaigns/empty/assignments",
            f"{API}/campaigns/empty/notice", f"{API}/campaigns/empty/publish", f"{API}/objections/1/ruling",
            f"{API}/submissions/{case.pk}/transitions/extend_deadline"]
    for client in [sec, rec]:
        client.raise_request_exception = False
        for url in urls:
            for method in ["get", "head", "options"]:
                response = getattr(client, method)(url, {"page": "x", "category": "\x00" * 3})
                assert response.status_code < 500, (method, url)
            for method in ["post", "put", "patch", "delete"]:
                for body in ODD_BODIES:
                    response = getattr(client, method)(url, body, content_type="application/json")
                    assert response.status_code < 500, (method, url, body, response.content)
                    if response.status_code >= 400:
                        assert isinstance(response.json().get("detail"), str), (method, url, body)
