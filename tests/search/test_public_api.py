"""GET /api/v1/cases and GET /api/v1/cases/{id}, exactly as docs/api.md §Public endpoints describes them."""

from __future__ import annotations

from datetime import date

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from wagtail.documents import get_document_model

from cases import adoptions
from cases.api.schema import SCHEMA_SETTINGS
from cases.models import CaseAttachment
from tests import factories
from tests.files import pdf_upload
from tests.workflow_paths import bring_to

from .test_indexing import CLOSED_PORT

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.search.urls")]
API = "/api/v1"
RESULT_KEYS = {"id", "title", "summary", "region", "province", "campaign", "tier", "scenarios", "task_area",
               "key_groups", "published_at", "url", "highlight", "missing"}
DETAIL_KEYS = RESULT_KEYS - {"highlight", "missing"} | {
    "organisation", "organisation_type", "period_start", "period_end", "special_project", "background",
    "approach", "outcomes", "lessons", "replicability", "indicators", "images", "attachments", "adoptions",
    "status", "notice_ends",
}


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


def chinese_400(response, field: str) -> dict:
    assert response.status_code == 400, response.content.decode()
    body = response.json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]) and field in body["errors"]
    return body


def test_list_envelope_facets_and_result_shape(anon, db_corpus):
    body = anon.get(f"{API}/cases", {"q": "老年人"}).json()
    assert set(body) == {"count", "page", "page_size", "results", "facets", "backend",
                         "corrected_query", "suggested_query", "missing_words"}
    assert body["corrected_query"] == body["suggested_query"] == "" and body["missing_words"] == []
    assert body["count"] == 2 and body["page"] == 1 and body["page_size"] == 20 and body["backend"] == "database"
    assert set(body["facets"]) == {"province", "scenario", "task", "group", "campaign", "tier", "year"}
    assert {"value": "440000", "label": "广东省", "count": 2} in body["facets"]["province"]
    first = body["results"][0]
    assert set(first) == RESULT_KEYS
    case = db_corpus.cases["运用智能技术服务老年人示范案例"]
    assert first["id"] == case.pk and first["url"] == f"/cases/{case.pk}/"
    assert first["region"] == {"code": "440100", "name": "广州市"}
    assert first["province"] == {"code": "440000", "name": "广东省"}
    assert first["campaign"] == {"slug": "c2025", "title": case.campaign.title, "year": 2025}
    assert first["tier"] == {"code": "exemplary", "title": "示范案例"}
    assert first["scenarios"] == ["life", "learning"] and first["task_area"] == "life"
    assert first["key_groups"] == ["elderly"] and first["published_at"].endswith("+08:00")
    assert "<mark>老年人</mark>" in first["highlight"]["title"]


def test_list_filters_sort_and_paging(anon, db_corpus):
    body = anon.get(f"{API}/cases?province=440000&province=510000&group=elderly&sort=newest").json()
    assert [r["id"] for r in body["results"]] == [db_corpus.id("政务服务应用"), db_corpus.id("运用智能技术")]
    assert anon.get(f"{API}/cases", {"year": "2024"}).json()["count"] == 2
    assert anon.get(f"{API}/cases", {"tier": "excellent", "campaign": "c2025"}).json()["count"] == 2
    page = anon.get(f"{API}/cases", {"page": 2, "page_size": 4}).json()
    assert len(page["results"]) == 2 and page["count"] == 6
    assert anon.get(f"{API}/cases", {"page": 50, "page_size": 4}).json()["results"] == []
    untiered = anon.get(f"{API}/cases", {"q": "反诈"}).json()["results"][0]
    assert untiered["tier"] is None and "&lt;script&gt;" in untiered["highlight"]["title"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "老" * 201}, "q"),
        ({"q": "数字素养" * 250}, "q"),
        ({"page_size": 101}, "page_size"),
        ({"page": 101, "page_size": 100}, "page"),
        ({"page": 0}, "page"),
        ({"province": "999999"}, "province"),
        ({"province": "440100"}, "province"),
        ({"scenario": "nope"}, "scenario"),
        ({"task": "x"}, "task"),
        ({"group": "aliens"}, "group"),
        ({"campaign": "no-such-campaign"}, "campaign"),
        ({"tier": "gold"}, "tier"),
        ({"year": "abc"}, "year"),
        ({"sort": "random"}, "sort"),
    ],
)
def test_invalid_input_is_a_chinese_400(anon, db, params, field):
    chinese_400(anon.get(f"{API}/cases", params), field)


def test_the_api_answers_when_elasticsearch_is_down(anon, db_corpus, settings):
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    response = anon.get(f"{API}/cases", {"q": "退役军人"})
    assert response.status_code == 200
    body = response.json()
    assert body["backend"] == "database" and body["count"] == 1


def test_detail_of_a_published_case(anon, db, campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = bring_to("published", campaign=campaign, title="公开附件与内部附件")
    for title, public, kind in (("内部核查材料", False, "evidence"), ("推荐函", True, "recommendation_letter")):
        document = get_document_model().objects.create(title=title, file=pdf_upload())
        CaseAttachment.objects.create(case=case, document=document, title=title, public=public, kind=kind)
    adoptions.report_adoption(case_id=case.pk, by=factories.submitter("510100"), since=date(2026, 3, 1),
                              summary="借鉴银龄数字课堂的做法，在社区开设手机课堂。", results="培训三千人次")
    hidden = adoptions.report_adoption(case_id=case.pk, by=factories.submitter("420100"), since=date(2026, 4, 1),
                                       summary="这是一条被组织方隐藏的借鉴报告内容。")
    adoptions.hide_adoption(adoption_id=hidden.pk, by=factories.secretariat(username="sec-hide"), reason="重复")
    body = anon.get(f"{API}/cases/{case.pk}").json()
    assert set(body) == DETAIL_KEYS
    assert body["adoptions"] == [{"region": {"code": "510100", "name": "成都市"}, "since": "2026-03-01",
                                  "summary": "借鉴银龄数字课堂的做法，在社区开设手机课堂。", "results": "培训三千人次"}]
    assert body["status"] == "published" and body["notice_ends"] is None
    assert body["tier"] == {"code": "exemplary", "title": "示范案例"}
    assert [a["title"] for a in body["attachments"]] == ["培训台账"]
    assert body["images"] and body["images"][0]["alt"] and set(body["images"][0]) == {"url", "alt"}
    assert body["indicators"] == [{"name": "培训人次", "value": 12000, "unit": "人次", "baseline": 3000}]
    assert body["organisation_type"] == "government"
    text = response_text(anon, case.pk)
    assert "13800138000" not in text and "wangfang@example.cn" not in text and "王芳" not in text


def response_text(client, case_id: int) -> str:
    return client.get(f"{API}/cases/{case_id}").content.decode()


def test_detail_of_a_case_in_notice_and_404s(anon, campaign):
    noticed = bring_to("in_notice", campaign=campaign, title="公示中的案例")
    body = anon.get(f"{API}/cases/{noticed.pk}").json()
    assert body["status"] == "in_notice" and body["attachments"] == [] and body["images"] == []
    assert body["published_at"] is None
    assert "notice_ends" in body
    draft = bring_to("draft", campaign=campaign, title="草稿案例")
    for path in (f"{API}/cases/{draft.pk}", f"{API}/cases/999999"):
        response = anon.get(path)
        assert response.status_code == 404
        assert "未找到" in response.json()["detail"]
    assert anon.get(f"{API}/cases/99999999999999999999").status_code == 404


def test_schema_of_the_public_endpoints_has_no_warnings():
    from django.urls import include, path
    from drf_spectacular.settings import patched_settings

    from search.urls_api import urlpatterns

    GENERATOR_STATS.reset()
    with patched_settings(SCHEMA_SETTINGS), GENERATOR_STATS.silence():
        schema = SchemaGenerator(patterns=[path("api/v1/", include(urlpatterns))]).get_schema(public=True)
    assert not GENERATOR_STATS, [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    listing = schema["paths"]["/api/v1/cases"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"q", "province", "scenario", "task", "group", "campaign",
                                                          "tier", "year", "sort", "page", "page_size", "correct"}
    assert "PublicCaseDetail" in schema["components"]["schemas"]
    envelope = schema["components"]["schemas"]["CaseSearchResponse"]["properties"]
    assert {"corrected_query", "suggested_query", "missing_words"} <= set(envelope)
