"""Bad input never makes a 500: every endpoint, every method, odd bodies."""

import pytest

from tests.factories import case_in, recommender, submitter

from .conftest import API, sign_in

pytestmark = pytest.mark.django_db

BODIES = [
    None,
    "{",
    "[]",
    "123",
    '{"title": 123, "scenarios": "life", "indicators": {"a": 1}, "region": null, "campaign": []}',
    '{"reason": {"x": 1}, "rank": [1], "deadline": "9999-12-31T23:59:59-12:00", "tier": 5}',
    '{"username": null, "password": {"a": 1}}',
    '{"file": "x", "alt": 5, "is_cover": "perhaps"}',
]


def endpoints(case) -> list[str]:
    image, attachment = case.images.first(), case.attachments.first()
    base = f"{API}/submissions/{case.pk}"
    return [
        f"{API}/auth/token", f"{API}/me", f"{API}/submissions", base, f"{base}/images", f"{base}/attachments",
        f"{base}/images/{image.pk}", f"{base}/attachments/{attachment.pk}", f"{base}/transitions",
        f"{base}/transitions/submit", f"{base}/transitions/withdraw", f"{base}/history", f"{API}/campaigns",
        f"{API}/campaigns/{case.campaign.slug}", f"{API}/regions", f"{API}/openapi.json", f"{API}/docs",
    ]


@pytest.mark.parametrize("who", ["anonymous", "owner", "recommender"])
def test_no_method_or_body_makes_a_server_error(campaign, who):
    case = case_in("draft", region_code="440100", campaign=campaign)
    if who == "anonymous":
        from rest_framework.test import APIClient

        client = APIClient()
    elif who == "owner":
        client = sign_in(submitter("440100", username="sub-440100"))
    else:
        client = sign_in(recommender("440000", username="rec-440000"))
    client.raise_request_exception = False
    for url in endpoints(case):
        for method in ["get", "head", "options"]:
            response = getattr(client, method)(url, {"page": "x", "status": "\x00", "level": "[]"})
            assert response.status_code < 500, (method, url, response.status_code)
        for method in ["post", "patch", "put", "delete"]:
            for body in BODIES:
                response = getattr(client, method)(url, body, content_type="application/json")
                assert response.status_code < 500, (method, url, body, response.status_code)
                if response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
                    assert isinstance(response.json().get("detail"), str), (method, url, body)


def test_huge_lists_are_refused_cheaply(campaign):
    case = case_in("draft", region_code="440100", campaign=campaign)
    client = sign_in(submitter("440100", username="sub-440100"))
    body = {"indicators": [{"name": "x", "value": 1}] * 20_000, "scenarios": ["life"] * 20_000}
    response = client.patch(f"{API}/submissions/{case.pk}", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"indicators", "scenarios"}


def test_an_oversized_body_is_a_json_400(campaign):
    case = case_in("draft", region_code="440100", campaign=campaign)
    client = sign_in(submitter("440100", username="sub-440100"))
    response = client.patch(f"{API}/submissions/{case.pk}", {"background": "很" * 3_000_000}, format="json")
    assert response.status_code == 400
    assert "过大" in response.json()["detail"]


@pytest.mark.parametrize("key", ["³", "²²", "١", "５", "3"])
def test_a_digit_like_body_key_is_named_as_given(campaign, key):
    """'³'.isdigit() is true but int('³') raises: a key is a field name, never a list position."""
    from cases.models import Adoption
    from tests.workflow_paths import bring_to

    case = case_in("draft", region_code="440100", campaign=campaign)
    client = sign_in(submitter("440100", username="sub-440100"))
    response = client.patch(f"{API}/submissions/{case.pk}", {key: 1}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["detail"].startswith(f"{key}：未知的字段“{key}”"), response.json()
    assert key in response.json()["errors"]

    response = client.post(f"{API}/submissions/{case.pk}/images", {key: "x", "alt": "图"})
    assert response.status_code == 400 and key in response.json()["errors"]

    published = bring_to("published", campaign=campaign, region_code="330100")
    response = client.post(f"{API}/cases/{published.pk}/adoptions", {key: 1}, format="json")
    assert response.status_code == 400 and key in response.json()["errors"]
    assert not Adoption.objects.exists()


def test_list_positions_are_still_numbered(campaign):
    case = case_in("draft", region_code="440100", campaign=campaign)
    client = sign_in(submitter("440100", username="sub-440100"))
    body = {"indicators": [{"name": "培训人次", "value": 1}, {"name": 5, "value": 1}]}
    response = client.patch(f"{API}/submissions/{case.pk}", body, format="json")
    assert response.status_code == 400
    assert "第 2 项" in response.json()["detail"], response.json()
