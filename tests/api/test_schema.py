"""The OpenAPI 3 document is valid, lists every endpoint, and the offline docs page reads it."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from openapi_spec_validator import validate

from cases.api.schema import build_schema

from .conftest import API

pytestmark = pytest.mark.django_db

OPERATIONS = {
    "/api/v1/auth/token": {"post", "delete"},
    "/api/v1/me": {"get"},
    "/api/v1/submissions": {"get", "post"},
    "/api/v1/submissions/{id}": {"get", "patch"},
    "/api/v1/submissions/{id}/images": {"get", "post"},
    "/api/v1/submissions/{id}/images/{image_id}": {"delete"},
    "/api/v1/submissions/{id}/attachments": {"get", "post"},
    "/api/v1/submissions/{id}/attachments/{att_id}": {"delete"},
    "/api/v1/submissions/{id}/transitions": {"get"},
    "/api/v1/submissions/{id}/transitions/{name}": {"post"},
    "/api/v1/submissions/{id}/history": {"get"},
    "/api/v1/campaigns": {"get"},
    "/api/v1/campaigns/{slug}": {"get"},
    "/api/v1/regions": {"get"},
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return build_schema()


def test_served_document_validates_and_lists_every_endpoint(anon):
    response = anon.get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    operations = {path: set(item) & {"get", "post", "patch", "put", "delete"} for path, item in document["paths"].items()}
    assert operations == OPERATIONS


def test_generation_has_no_warnings_or_errors():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        build_schema()
    assert not GENERATOR_STATS, [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]


def test_lists_are_enveloped_and_shapes_use_the_contracts_names(schema):
    paths = schema["paths"]
    ref = paths["/api/v1/submissions"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    listing = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(listing["required"]) == {"count", "page", "page_size", "results"}
    params = {p["name"] for p in paths["/api/v1/submissions"]["get"]["parameters"]}
    assert {"status", "campaign", "page", "page_size"} <= params
    assert {p["name"] for p in paths["/api/v1/regions"]["get"]["parameters"]} >= {"level", "parent"}
    detail = schema["components"]["schemas"]["CaseDetail"]["properties"]
    assert {"contact_email", "indicators", "images", "attachments", "province", "tier"} <= set(detail)
    history = schema["components"]["schemas"]["History"]["properties"]
    assert set(history) == {"transition", "from", "to", "by", "at", "reason"}
    create = schema["components"]["schemas"]["CaseCreateRequest"]
    assert set(create["required"]) == {"campaign", "title", "region"}
    assert "status" not in create["properties"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_errors_are_documented(schema):
    patch = schema["paths"]["/api/v1/submissions/{id}"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(patch)


def test_docs_page_is_self_contained_and_lists_the_operations(anon):
    response = anon.get(f"{API}/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    for path in OPERATIONS:
        assert path in html, path
    assert "<script" not in html and "cdn" not in html.lower() and "http://" not in html and "https://" not in html
    assert "登录" in html and "openapi.json" in html
