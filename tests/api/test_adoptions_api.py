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
