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
    "/api/v1/cases": {"get"},
    "/api/v1/cases/{id}": {"get"},
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
    # Reviews and selection.
    "/api/v1/reviews": {"get"},
    "/api/v1/reviews/{id}": {"get", "put"},
    "/api/v1/reviews/{id}/conflict": {"post"},
    "/api/v1/submissions/{id}/scores": {"get"},
    "/api/v1/submissions/{id}/objections": {"get"},
    "/api/v1/campaigns/{slug}/ranking": {"get"},
    "/api/v1/campaigns/{slug}/assignments": {"post"},
    "/api/v1/campaigns/{slug}/notice": {"post"},
    "/api/v1/campaigns/{slug}/publish": {"post"},
    "/api/v1/objections/{id}/ruling": {"post"},
    # Public notice and objections.
    "/api/v1/notices": {"get"},
    "/api/v1/cases/{id}/objections": {"post"},
    "/api/v1/cases/{id}/adoptions": {"post"},
    # 查重 (similarity).
    "/api/v1/submissions/{id}/similarity": {"get", "post"},
    "/api/v1/similarity/self-check": {"post"},
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


def test_review_and_selection_shapes_use_the_contracts_names(schema):
    components = schema["components"]["schemas"]
    assert set(components["ReviewListItem"]["properties"]) == {"id", "case", "status", "deadline"}
    assert set(components["RubricCriterion"]["properties"]) == {"code", "name", "description", "max"}
    assert {"case", "rubric", "scores", "comment", "status", "final"} <= set(components["ReviewDetail"]["properties"])
    assert {"region", "province", "organisation"} <= set(components["ReviewCase"]["properties"])
    assert not {"contact_name", "contact_phone", "contact_email"} & set(components["ReviewCase"]["properties"])
    assert set(components["ReviewInputRequest"]["properties"]) == {"scores", "comment", "final"}
    assert {"reviewer", "scores", "total", "comment", "final"} <= set(components["CaseScore"]["properties"])
    row = components["RankingRow"]["properties"]
    assert {"case", "n_scores", "mean", "trimmed_mean", "normalised", "rank", "status", "tier"} <= set(row)
    assert {"min", "max", "stdev", "disagreement"} <= set(row)
    notice = components["NoticeItem"]["properties"]
    assert {"id", "title", "region", "province", "campaign", "tier", "notice_ends"} <= set(notice)
    assert set(components["ObjectionInputRequest"]["properties"]) == {"name", "phone", "email", "reason", "evidence"}
    objection = schema["paths"]["/api/v1/cases/{id}/objections"]["post"]
    assert {"application/json", "multipart/form-data"} <= set(objection["requestBody"]["content"])
    assert {"201", "400", "404", "429"} <= set(objection["responses"])
    name = next(p for p in schema["paths"]["/api/v1/submissions/{id}/transitions/{name}"]["post"]["parameters"]
                if p["name"] == "name")
    assert "extend_deadline" in name["schema"]["enum"]
    assert set(schema["paths"]["/api/v1/reviews/{id}"]["put"]["responses"]) >= {"200", "400", "403", "404", "409"}


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


def test_the_document_states_what_the_api_enforces():
    """Issue 14 §12: the transition result, the 429s and the paging limits as the API has them."""
    schema = build_schema()
    components = schema["components"]["schemas"]
    result = schema["paths"]["/api/v1/submissions/{id}/transitions/{name}"]["post"]["responses"]["200"]
    ref = result["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    # Ordinary transitions answer {"id", "status"}; only extend_deadline adds deadline_extension.
    assert set(components[ref]["required"]) == {"id", "status"}
    assert "deadline_extension" in components[ref]["properties"]
    assert "429" in schema["paths"]["/api/v1/cases"]["get"]["responses"]
    assert "429" in schema["paths"]["/api/v1/auth/token"]["post"]["responses"]
    paged = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                if param["name"] in {"page", "page_size"} and param["in"] == "query":
                    paged += 1
                    bounds = (param["schema"].get("minimum"), param["schema"].get("maximum"))
                    assert bounds == ((1, 10_000) if param["name"] == "page" else (1, 100)), (path, method, param)
    assert paged >= 10
