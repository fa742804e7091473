"""GET/POST /api/v1/submissions/{id}/similarity and POST /api/v1/similarity/self-check (docs/api.md)."""

from __future__ import annotations

from cases.api.urls import api_patterns  # noqa: F401 - the API's URLs are loaded
from similarity.models import Report
from tests import factories
from tests.api.conftest import API, assert_chinese_error, sign_in

from . import texts

RATIOS = ("total_ratio", "max_single_ratio", "ratio_excluding_own", "ratio_excluding_policy")


def test_secretariat_reads_the_report_in_the_contracts_shape(make_case):
    source = make_case("published", texts.source_fields(), region="330100", organisation="杭州市某街道办事处")
    case = make_case("submitted", texts.disguised_copy_fields())
    client = sign_in(factories.secretariat(username="secretariat-test"))

    body = client.get(f"{API}/submissions/{case.pk}/similarity").json()
    assert body["status"] == "ready" and body["version"] == 1 and body["checked_at"].endswith("+08:00")
    assert all(0 <= body[name] <= 1 for name in RATIOS) and body["flagged"] is True
    top = body["sources"][0]
    assert top["case"] == source.pk and top["title"] == source.title and top["kind"] == "case"
    assert top["same_organisation"] is False and top["ratio"] == max(s["ratio"] for s in body["sources"])
    passage = top["passages"][0]
    assert set(passage) == {"text", "start", "end", "source_start", "source_end"}
    assert passage["text"] == Report.objects.get(case=case).text[passage["start"]:passage["end"]]


def test_the_secretariat_reruns_a_check_and_others_may_not(make_case):
    case = make_case("submitted", texts.ORIGINAL_FIELDS)
    staff = sign_in(factories.secretariat(username="secretariat-test"))
    response = staff.post(f"{API}/submissions/{case.pk}/similarity")
    assert response.status_code == 202
    assert Report.objects.filter(case=case).count() == 2

    recommender = sign_in(factories.recommender("440000", username="rec-440000"))
    assert_chinese_error(recommender.post(f"{API}/submissions/{case.pk}/similarity"), 403)
    assert Report.objects.filter(case=case).count() == 2


def test_reviewers_get_403_others_404_and_drafts_409(make_case):
    case = make_case("submitted", texts.ORIGINAL_FIELDS)
    draft = make_case("draft", texts.ORIGINAL_FIELDS)
    other_recommender = sign_in(factories.recommender("330000", username="rec-330000"))
    assert_chinese_error(other_recommender.get(f"{API}/submissions/{case.pk}/similarity"), 404)
    submitter = sign_in(factories.submitter("440100", username="sub-440100"))
    assert_chinese_error(submitter.get(f"{API}/submissions/{case.pk}/similarity"), 403)
    staff = sign_in(factories.secretariat(username="secretariat-test"))
    assert_chinese_error(staff.get(f"{API}/submissions/{draft.pk}/similarity"), 409)
    assert_chinese_error(staff.get(f"{API}/submissions/999999/similarity"), 404)


def test_a_recommender_sees_another_provinces_unpublished_source_only_as_a_count(make_case):
    hidden = make_case("submitted", texts.source_fields(), region="330100", organisation="杭州市某街道办事处")
    case = make_case("submitted", texts.disguised_copy_fields())
    client = sign_in(factories.recommender("440000", username="rec-440000"))

    response = client.get(f"{API}/submissions/{case.pk}/similarity")
    body = response.json()
    top = body["sources"][0]
    assert top["case"] is None and top["title"] == "其他省份未公开案例" and top["ratio"] >= 0.5
    assert body["total_ratio"] >= 0.5  # counted all the same
    assert hidden.title not in response.content.decode()
    assert all(p["source_start"] is None for p in top["passages"])


def test_self_check_compares_with_published_cases_only(make_case):
    published = make_case("published", texts.source_fields(), region="330100", organisation="杭州市某街道办事处")
    make_case("submitted", texts.ORIGINAL_FIELDS, region="330100", organisation="杭州市某街道办事处")
    client = sign_in(factories.submitter("440100", username="sub-440100"))
    stored = Report.objects.count()

    copy = client.post(f"{API}/similarity/self-check", texts.disguised_copy_fields(), format="json").json()
    assert copy["sources"][0]["case"] == published.pk and copy["total_ratio"] >= 0.5
    unpublished = client.post(f"{API}/similarity/self-check", texts.ORIGINAL_FIELDS, format="json").json()
    assert unpublished["total_ratio"] < 0.05 and not [s for s in unpublished["sources"] if s["kind"] == "case"]
    assert Report.objects.count() == stored  # nothing stored


def test_self_check_refuses_other_roles_and_empty_or_bad_input(db):
    staff = sign_in(factories.secretariat(username="secretariat-test"))
    assert_chinese_error(staff.post(f"{API}/similarity/self-check", {"title": "案例"}, format="json"), 403)
    client = sign_in(factories.submitter("440100", username="sub-440100"))
    assert_chinese_error(client.post(f"{API}/similarity/self-check", {"title": "，。 "}, format="json"), 400)
    assert client.post(f"{API}/similarity/self-check", {"title": 12}, format="json").status_code == 400
    assert client.post(f"{API}/similarity/self-check", ["x"], format="json").status_code == 400
    assert client.post(f"{API}/similarity/self-check", {"approach": "字" * 4001}, format="json").status_code == 400
