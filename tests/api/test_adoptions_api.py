"""POST /api/v1/cases/{id}/adoptions (docs/api.md §Signed in: cases): another region's submitter or recommender reports."""

from __future__ import annotations

import pytest

from cases.models import Adoption
from tests import factories
from tests.workflow_paths import bring_to

from .conftest import API, assert_chinese_error, sign_in

pytestmark = pytest.mark.django_db

BODY = {"summary": "借鉴银龄课堂做法，结合本地社区学校开展智能手机培训。", "since": "2026-03-01",
        "results": "培训老年人 800 人次"}


@pytest.fixture
def published(campaign):
    return bring_to("published", campaign=campaign, region_code="440100")


def test_another_regions_submitter_reports_and_the_case_page_shows_it(published, client):
    client_zj = sign_in(factories.submitter("330100", username="s-hz"))
    response = client_zj.post(f"{API}/cases/{published.pk}/adoptions", BODY, format="json")
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    adoption = Adoption.objects.get(pk=body["id"])
    assert (body["case"], body["region"], body["since"]) == (published.pk, "330100", "2026-03-01")
    assert adoption.summary == BODY["summary"] and adoption.reported_by.username == "s-hz"
    detail = client.get(f"{API}/cases/{published.pk}").json()
    assert any("银龄课堂" in (a.get("summary") or "") for a in detail["adoptions"]), detail["adoptions"]


def test_a_recommender_of_another_province_may_report(published):
    client = sign_in(factories.recommender("330000", username="r-zj"))
    assert client.post(f"{API}/cases/{published.pk}/adoptions", BODY, format="json").status_code == 201


@pytest.mark.parametrize(
    ("who", "status"),
    [("own_region", 400), ("reviewer", 403), ("secretariat", 403)],
)
def test_refusals_are_chinese_and_write_nothing(published, who, status):
    user = {
        "own_region": lambda: factories.submitter("440000", username="s-gd"),
        "reviewer": lambda: factories.reviewer(),
        "secretariat": lambda: factories.secretariat(),
    }[who]()
    response = sign_in(user).post(f"{API}/cases/{published.pk}/adoptions", BODY, format="json")
    assert_chinese_error(response, status)
    assert not Adoption.objects.exists()


def test_unpublished_or_unknown_case_is_404(campaign):
    draft = bring_to("submitted", campaign=campaign, region_code="440100")
    client = sign_in(factories.submitter("330100", username="s-hz"))
    for pk in (draft.pk, 999999):
        assert_chinese_error(client.post(f"{API}/cases/{pk}/adoptions", BODY, format="json"), 404)
    assert not Adoption.objects.exists()


def test_anonymous_is_401(published, anon):
    assert anon.post(f"{API}/cases/{published.pk}/adoptions", BODY, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "summary": "短"}, "summary"),
        ({**BODY, "since": "明天"}, "since"),
        ({**BODY, "since": "2999-01-01"}, "since"),
        ({key: value for key, value in BODY.items() if key != "since"}, "since"),
        ({**BODY, "status": "hidden"}, "status"),
        ({**BODY, "summary": 12}, "summary"),
    ],
)
def test_bad_input_names_the_field(published, body, field):
    client = sign_in(factories.submitter("330100", username="s-hz"))
    body = assert_chinese_error(client.post(f"{API}/cases/{published.pk}/adoptions", body, format="json"), 400)
    assert field in body["errors"], body
    assert not Adoption.objects.exists()


def test_one_report_per_region_which_its_author_edits(published):
    author = sign_in(factories.submitter("330100", username="s-hz"))
    url = f"{API}/cases/{published.pk}/adoptions"
    first = author.post(url, BODY, format="json")
    assert first.status_code == 201
    again = author.post(url, {**BODY, "results": "培训老年人 1200 人次"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Adoption.objects.get().results == "培训老年人 1200 人次"
    # Another account of the same region: refused, nothing changes.
    colleague = sign_in(factories.submitter("330100", username="s-hz-2"))
    body = assert_chinese_error(colleague.post(url, BODY, format="json"), 409)
    assert "只有报告人可以修改" in body["detail"] and Adoption.objects.count() == 1
    # Once the secretariat hides it, the region may report again.
    from cases.adoptions import hide_adoption

    hide_adoption(adoption_id=first.json()["id"], by=factories.secretariat(), reason="重复")
    assert colleague.post(url, BODY, format="json").status_code == 201


def test_six_identical_reports_make_one_and_the_rate_limit_holds(published, settings):
    settings.ACCOUNT_RATE_LIMITS = [{"name": "adoption_reports", "limit": 3, "window": 86400}]
    client = sign_in(factories.submitter("330100", username="s-hz"))
    statuses = [client.post(f"{API}/cases/{published.pk}/adoptions", BODY, format="json").status_code
                for _ in range(6)]
    assert statuses == [201, 200, 200, 429, 429, 429]
    assert Adoption.objects.count() == 1
    assert_chinese_error(client.post(f"{API}/cases/{published.pk}/adoptions", BODY, format="json"), 429)
