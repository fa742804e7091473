"""The list envelope of docs/api.md §Conventions: {count, page, page_size, results}, its limits and its filters."""

import pytest

from tests.factories import CampaignFactory, case_in, submitter

from .conftest import API, assert_chinese_error, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def gz():
    return sign_in(submitter("440100", username="sub-440100"))


def test_defaults(anon):
    body = anon.get(f"{API}/regions").json()
    assert set(body) == {"count", "page", "page_size", "results"}
    assert (body["page"], body["page_size"], len(body["results"])) == (1, 20, 20)


@pytest.mark.parametrize(
    "params,field",
    [
        ({"page_size": 101}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "1e3"}, "page_size"),
        ({"page": 101, "page_size": 100}, "page"),
        ({"page": 10_001}, "page"),
        ({"page": "99999999999999999999999"}, "page"),
    ],
)
def test_paging_limits_are_400(anon, params, field):
    body = assert_chinese_error(anon.get(f"{API}/regions", params), 400)
    assert field in body["errors"]


def test_deepest_allowed_page_and_past_the_end(anon):
    assert anon.get(f"{API}/regions", {"page": 100, "page_size": 100}).status_code == 200
    past = anon.get(f"{API}/regions", {"page": 50, "page_size": 20})
    assert past.status_code == 200
    assert past.json() == {"count": 376, "page": 50, "page_size": 20, "results": []}


def test_submission_list_items_and_filters(gz, campaign):
    draft = case_in("draft", region_code="440100", campaign=campaign)
    submitted = case_in("submitted", region_code="440100", campaign=campaign)
    other_campaign = CampaignFactory()
    elsewhere = case_in("draft", region_code="440100", campaign=other_campaign)

    body = gz.get(f"{API}/submissions").json()
    assert body["count"] == 3
    item = next(r for r in body["results"] if r["id"] == draft.pk)
    assert set(item) == {"id", "title", "status", "region", "province", "campaign", "category", "updated_at"}
    assert item["region"] == {"code": "440100", "name": "广州市"} and item["category"] == "inclusion"
    # Newest change first.
    assert body["results"][0]["id"] == elsewhere.pk

    def ids(**params):
        return {r["id"] for r in gz.get(f"{API}/submissions", params).json()["results"]}

    assert ids(status="submitted") == {submitted.pk}
    assert ids(status=["submitted", "draft"]) == {draft.pk, submitted.pk, elsewhere.pk}
    assert ids(campaign=other_campaign.slug) == {elsewhere.pk}
    assert ids(campaign=campaign.slug, status="draft") == {draft.pk}
    assert ids(campaign="no-such-campaign") == set()
    page = gz.get(f"{API}/submissions", {"page_size": 2, "page": 2}).json()
    assert (page["count"], len(page["results"])) == (3, 1)


@pytest.mark.parametrize("params,field", [({"status": "flying"}, "status"), ({"campaign": "bad slug!"}, "campaign"),
                                          ({"page_size": 500}, "page_size")])
def test_submission_filters_are_validated(gz, params, field):
    body = assert_chinese_error(gz.get(f"{API}/submissions", params), 400)
    assert field in body["errors"]


def test_unknown_api_paths_answer_in_json(anon):
    response = anon.get(f"{API}/no-such-thing")
    assert response.status_code == 404 and response.json() == {"detail": "接口地址不存在。"}
