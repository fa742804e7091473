"""POST /submissions: a draft needs campaign, title and region; bad input is a Chinese 400 and saves nothing."""

import pytest

from cases.models import Case, CaseIndicator
from cases.states import CampaignStatus
from tests.factories import CampaignFactory, recommender, secretariat, submitter

from .conftest import API, assert_chinese_error, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def gz():
    return sign_in(submitter("440100", username="sub-440100"))


def minimal(campaign, **extra) -> dict:
    return {"campaign": campaign.slug, "title": "社区助老智能手机培训", "region": "440100", **extra}


def refused(client, body: dict, field: str | None = None) -> dict:
    """A 400 with a Chinese detail, the field named in `errors`, and no case saved."""
    before = Case.objects.count()
    response = client.post(f"{API}/submissions", body, format="json")
    result = assert_chinese_error(response, 400)
    if field:
        assert field in result["errors"], result
    assert Case.objects.count() == before
    return result


def test_minimal_draft_is_created(gz, campaign):
    response = gz.post(f"{API}/submissions", minimal(campaign), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert body["status"] == "draft" == case.status
    assert body["campaign"] == {"slug": campaign.slug, "title": campaign.title, "year": 2026}
    assert body["region"] == {"code": "440100", "name": "广州市"}
    assert body["province"] == {"code": "440000", "name": "广东省"}
    assert case.history.get().transition == "create"
    assert case.created_by.username == "sub-440100"


def test_full_draft_keeps_every_field(gz, campaign):
    body = minimal(
        campaign,
        summary="摘要", category="skills", organisation="越秀区委网信办", organisation_type="government",
        contact_name="王芳", contact_phone="13800138000", contact_email="wf@example.cn",
        period_start="2024-03-01", period_end="2024-12-31", scenarios=["life", "learning"], task_area="life",
        key_groups=["elderly", "women"], special_project="accessibility", background="背景", approach="做法",
        outcomes="成效", lessons="启示", replicability="可复制",
        indicators=[{"name": "培训人次", "value": 12000, "unit": "人次", "baseline": "3000"},
                    {"name": "满意度", "value": 98.5, "unit": "%"}],
    )
    response = gz.post(f"{API}/submissions", body, format="json")
    assert response.status_code == 201, response.content
    out = response.json()
    for key, value in body.items():
        if key in {"campaign", "region", "indicators"}:
            continue
        assert out[key] == value, key
    assert out["indicators"] == [
        {"name": "培训人次", "value": 12000, "unit": "人次", "baseline": 3000},
        {"name": "满意度", "value": 98.5, "unit": "%", "baseline": None},
    ]
    assert CaseIndicator.objects.filter(case_id=out["id"]).count() == 2


def test_over_long_title(gz, campaign):
    result = refused(gz, minimal(campaign, title="数" * 61), "title")
    assert "60" in result["detail"] and "案例名称" in result["detail"]


def test_missing_campaign(gz, campaign):
    body = minimal(campaign)
    del body["campaign"]
    assert "征集活动" in refused(gz, body, "campaign")["detail"]


def test_missing_title_and_region(gz, campaign):
    result = refused(gz, {"campaign": campaign.slug}, "title")
    assert "region" in result["errors"]


@pytest.mark.parametrize("slug", ["no-such-campaign", "a b", "x" * 500, "坏\x00"])
def test_unknown_campaign(gz, campaign, slug):
    refused(gz, {**minimal(campaign), "campaign": slug}, "campaign")


def test_draft_campaign_is_unknown_to_submitters(gz):
    hidden = CampaignFactory(status=CampaignStatus.DRAFT)
    assert "未知的征集活动" in refused(gz, minimal(hidden), "campaign")["detail"]


def test_closed_campaign_does_not_take_new_drafts(gz):
    closed = CampaignFactory(status=CampaignStatus.CLOSED)
    assert "不接受申报" in refused(gz, minimal(closed))["detail"]


@pytest.mark.parametrize("code", ["999999", "44010", "abcdef", ""])
def test_unknown_region(gz, campaign, code):
    refused(gz, minimal(campaign, region=code), "region")


def test_region_outside_the_submitters_scope(gz, campaign):
    result = refused(gz, minimal(campaign, region="330100"), "region")
    assert "本地区" in result["detail"]


def test_unknown_category_for_the_campaign(gz, campaign):
    other = CampaignFactory()
    from cases.models import CampaignCategory

    CampaignCategory.objects.create(campaign=other, code="elsewhere", title="别的方向")
    refused(gz, minimal(campaign, category="elsewhere"), "category")


@pytest.mark.parametrize(
    "field,value",
    [
        ("scenarios", ["life", "space"]),
        ("scenarios", "life"),
        ("scenarios", ["life", "life"]),
        ("key_groups", [{"code": "elderly"}]),
        ("task_area", "everything"),
        ("task_area", ["life"]),
        ("special_project", 3),
        ("organisation_type", "club"),
    ],
)
def test_invalid_taxonomy_codes(gz, campaign, field, value):
    refused(gz, minimal(campaign, **{field: value}), field)


@pytest.mark.parametrize("value", ["2024/03/01", "2024-13-01", "yesterday", 20240301, "2024-03-01T10:00:00"])
def test_bad_dates(gz, campaign, value):
    result = refused(gz, minimal(campaign, period_start=value), "period_start")
    assert "YYYY-MM-DD" in result["detail"]


def test_period_end_before_start(gz, campaign):
    refused(gz, minimal(campaign, period_start="2024-05-01", period_end="2024-01-01"), "period_end")


@pytest.mark.parametrize(
    "field,value",
    [("status", "published"), ("tier", "exemplary"), ("nomination_rank", 1), ("published_at", "2026-01-01"),
     ("submitted_at", None), ("id", 5), ("province", "440000"), ("created_at", "2020-01-01")],
)
def test_workflow_fields_are_refused_naming_the_field(gz, campaign, field, value):
    result = refused(gz, minimal(campaign, **{field: value}), field)
    assert field in result["detail"]


def test_status_is_refused_even_alongside_other_errors(gz, campaign):
    result = refused(gz, {**minimal(campaign), "status": "published", "title": 123})
    assert set(result["errors"]) == {"status", "title"}
    assert "status" in result["detail"]


def test_unknown_fields_are_refused(gz, campaign):
    assert "colour" in refused(gz, minimal(campaign, colour="red"), "colour")["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"title": 123},
        {"title": None},
        {"title": ["a"]},
        {"summary": 5},
        {"summary": "摘" * 301},
        {"contact_phone": "12345"},
        {"contact_email": "not-an-email"},
        {"background": "很" * 100_000},
        {"organisation": {"name": "x"}},
        {"title": "a\x00b"},
        {"region": 440100},
        {"indicators": "many"},
        {"indicators": [{"name": "人次", "value": "lots"}]},
        {"indicators": [{"name": "人次", "value": True}]},
        {"indicators": [{"name": "人次", "value": 1e300}]},
        {"indicators": [{"value": 1}]},
        {"indicators": [5]},
        {"indicators": [{"name": "x", "value": 1}] * 31},
    ],
)
def test_wrong_types_and_sizes_are_400(gz, campaign, body):
    refused(gz, minimal(campaign, **body))


@pytest.mark.parametrize(
    "raw", ["{garbage", "[1, 2]", '"just a string"', "null", '{"title": NaN}', "[" * 100_000 + "]" * 100_000]
)
def test_garbage_json_is_400(gz, raw):
    response = gz.post(f"{API}/submissions", raw, content_type="application/json")
    assert_chinese_error(response, 400)
    assert Case.objects.count() == 0


def test_form_encoded_bodies_work_too(gz, campaign):
    response = gz.post(f"{API}/submissions", {**minimal(campaign), "scenarios": ["life", "work"]})
    assert response.status_code == 201, response.content
    assert response.json()["scenarios"] == ["life", "work"]


def test_unsupported_content_type_is_415(gz):
    response = gz.post(f"{API}/submissions", "<xml/>", content_type="application/xml")
    assert_chinese_error(response, 415)


@pytest.mark.parametrize("make_user", [lambda: recommender("440000"), lambda: secretariat()])
def test_only_submitters_create(campaign, make_user):
    client = sign_in(make_user())
    assert_chinese_error(client.post(f"{API}/submissions", minimal(campaign), format="json"), 403)
    assert Case.objects.count() == 0


def test_anonymous_create_is_401(anon, campaign):
    assert_chinese_error(anon.post(f"{API}/submissions", minimal(campaign), format="json"), 401)


@pytest.mark.parametrize("raw", ['{"title": "\\ud800"}', '{"\\ud800": 1}', b'{"title": "\xff\xfe"}'])
def test_invalid_unicode_is_400(gz, raw):
    response = gz.post(f"{API}/submissions", raw, content_type="application/json")
    assert_chinese_error(response, 400)
