"""GET/PATCH /submissions/{id}: the full case in the names of docs/api.md §Signed in: cases; edits only while editable (else 409)."""

import re

import pytest

from cases.models import Case
from tests.factories import case_in, submitter

from .conftest import API, assert_chinese_error, sign_in

pytestmark = pytest.mark.django_db

DETAIL_FIELDS = {
    "id", "title", "summary", "category", "region", "province", "organisation", "organisation_type",
    "contact_name", "contact_phone", "contact_email", "period_start", "period_end", "scenarios", "task_area",
    "key_groups", "special_project", "background", "approach", "outcomes", "lessons", "replicability",
    "indicators", "images", "attachments", "status", "tier", "campaign", "created_at", "updated_at",
    "submitted_at", "published_at",
}
OFFSET_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")


@pytest.fixture
def gz():
    return sign_in(submitter("440100", username="sub-440100"))


@pytest.fixture
def draft(campaign):
    return case_in("draft", region_code="440100", campaign=campaign)


def test_detail_has_every_field_of_the_contract(gz, draft):
    body = gz.get(f"{API}/submissions/{draft.pk}").json()
    assert DETAIL_FIELDS <= set(body)
    assert body["category"] == "inclusion"
    assert body["indicators"] == [{"name": "培训人次", "value": 12000, "unit": "人次", "baseline": 3000}]
    image = body["images"][0]
    assert set(image) >= {"id", "url", "alt", "is_cover"} and image["is_cover"] is True
    assert image["url"] == f"/files/images/{image['id']}/max-800x600/"
    attachment = body["attachments"][0]
    assert attachment == {
        "id": attachment["id"], "title": "培训台账", "url": f"/files/attachments/{attachment['id']}/",
        "public": True, "kind": "evidence",
    }
    assert OFFSET_TIMESTAMP.match(body["created_at"]) and OFFSET_TIMESTAMP.match(body["updated_at"])
    assert body["submitted_at"] is body["published_at"] is body["tier"] is body["special_project"] is None
    assert body["period_start"] == "2024-03-01" and body["period_end"] is None


def test_published_case_carries_its_timestamps(campaign):
    case = case_in("published", region_code="440100", campaign=campaign)
    body = sign_in(submitter("440100", username="sub-440100")).get(f"{API}/submissions/{case.pk}").json()
    assert body["status"] == "published"
    assert OFFSET_TIMESTAMP.match(body["submitted_at"]) and OFFSET_TIMESTAMP.match(body["published_at"])


def test_patch_is_partial(gz, draft):
    response = gz.patch(f"{API}/submissions/{draft.pk}", {"summary": "新的摘要", "scenarios": ["work"]}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["summary"] == "新的摘要" and body["scenarios"] == ["work"]
    assert body["title"] == draft.title and body["organisation"] == "越秀区委网信办"


def test_patch_can_clear_and_change_references(gz, draft):
    response = gz.patch(
        f"{API}/submissions/{draft.pk}",
        {"category": "skills", "special_project": "accessibility", "period_end": "2025-01-31", "task_area": None},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["category"], body["special_project"], body["period_end"]) == ("skills", "accessibility", "2025-01-31")
    assert body["task_area"] is None
    body = gz.patch(f"{API}/submissions/{draft.pk}", {"category": None}, format="json").json()
    assert body["category"] is None


def test_indicators_replace_the_whole_list(gz, draft):
    rows = [{"name": "覆盖社区", "value": "36", "unit": "个"}, {"name": "满意度", "value": 97.25, "unit": "%",
                                                              "baseline": 80}]
    body = gz.patch(f"{API}/submissions/{draft.pk}", {"indicators": rows}, format="json").json()
    assert body["indicators"] == [
        {"name": "覆盖社区", "value": 36, "unit": "个", "baseline": None},
        {"name": "满意度", "value": 97.25, "unit": "%", "baseline": 80},
    ]
    assert gz.patch(f"{API}/submissions/{draft.pk}", {"indicators": []}, format="json").json()["indicators"] == []


@pytest.mark.parametrize(
    "body,field",
    [
        ({"title": "数" * 61}, "title"),
        ({"title": ""}, "title"),
        ({"status": "published"}, "status"),
        ({"campaign": "another"}, "campaign"),
        ({"region": "330100"}, "region"),
        ({"region": "000000"}, "region"),
        ({"category": "nope"}, "category"),
        ({"period_end": "2020-01-01"}, "period_end"),
        ({"key_groups": "elderly"}, "key_groups"),
        ({"indicators": [{"name": "人次", "value": "很多"}]}, "indicators"),
        ({"nonsense": 1}, "nonsense"),
    ],
)
def test_invalid_patch_is_400_and_changes_nothing(gz, draft, body, field):
    before = Case.objects.get(pk=draft.pk)
    result = assert_chinese_error(gz.patch(f"{API}/submissions/{draft.pk}", body, format="json"), 400)
    assert field in result["errors"], result
    after = Case.objects.get(pk=draft.pk)
    assert (after.title, after.region_id, after.status, after.period_end, after.updated_at) == (
        before.title, before.region_id, before.status, before.period_end, before.updated_at
    )
    assert after.indicators.count() == 1


def test_patch_on_a_submitted_case_by_its_submitter_is_409(campaign):
    case = case_in("submitted", region_code="440100", campaign=campaign)
    client = sign_in(submitter("440100", username="sub-440100"))
    body = assert_chinese_error(client.patch(f"{API}/submissions/{case.pk}", {"title": "改名"}, format="json"), 409)
    assert "已提交" in body["detail"]
    # State is checked before the input: a bad body on a locked case is still a 409.
    assert client.patch(f"{API}/submissions/{case.pk}", {"title": 1}, format="json").status_code == 409
    assert Case.objects.get(pk=case.pk).title != "改名"


def test_returned_case_is_editable_again(campaign):
    case = case_in("returned", region_code="440100", campaign=campaign)
    client = sign_in(submitter("440100", username="sub-440100"))
    assert client.patch(f"{API}/submissions/{case.pk}", {"outcomes": "补充了成效数据"}, format="json").status_code == 200


def test_put_is_not_allowed(gz, draft):
    assert_chinese_error(gz.put(f"{API}/submissions/{draft.pk}", {"title": "x"}, format="json"), 405)


@pytest.mark.parametrize("title", ["\u200b\ufeff\u200b", " \u2060 ", "\ufeff", "\u200d\u200c"])
def test_a_title_of_invisible_characters_is_refused_as_empty(campaign, title):
    case = case_in("draft", region_code="440100", campaign=campaign)
    client = sign_in(submitter("440100", username="sub-440100"))
    body = assert_chinese_error(client.patch(f"{API}/submissions/{case.pk}", {"title": title}, format="json"), 400)
    assert body["errors"] == {"title": ["不能为空（只有空格或不可见字符）。"]}
    case.refresh_from_db()
    assert case.title.strip()


def test_the_title_too_long_message_appears_once(campaign):
    case = case_in("draft", region_code="440100", campaign=campaign)
    client = sign_in(submitter("440100", username="sub-440100"))
    body = assert_chinese_error(client.patch(f"{API}/submissions/{case.pk}", {"title": "长" * 61}, format="json"), 400)
    assert body["errors"] == {"title": ["不能超过 60 字（当前 61 字）。"]}
    assert body["detail"] == "案例名称：不能超过 60 字（当前 61 字）。"


@pytest.mark.parametrize(
    ("value", "problem"),
    [("1e15", "过大"), (1e15, "过大"), ("-1e12", "过大"), ("1e-999999", "最多保留两位小数"), ("0.001", "最多保留两位小数"),
     ("1_000", "必须是数字"), ("NaN", "必须是数字"), ("Infinity", "必须是数字"), ("1e9999999", "必须是数字"),
     ("١٢", "必须是数字"), ("１２", "必须是数字")],
)
def test_indicator_numbers_are_taken_exactly_or_refused_accurately(campaign, value, problem):
    case = case_in("draft", region_code="440100", campaign=campaign)
    before = list(case.indicators.values_list("value", flat=True))
    client = sign_in(submitter("440100", username="sub-440100"))
    body = {"indicators": [{"name": "培训人次", "value": value, "unit": "人次"}]}
    response = assert_chinese_error(client.patch(f"{API}/submissions/{case.pk}", body, format="json"), 400)
    assert response["errors"]["indicators"][0].startswith(f"第 1 项：数值{problem}"), response
    assert list(case.indicators.values_list("value", flat=True)) == before


@pytest.mark.parametrize(("value", "stored"), [("1,000", "1000"), ("1.2e4", "12000"), (12.5, "12.5"), ("-3", "-3")])
def test_indicator_numbers_that_are_exact_are_kept(campaign, value, stored):
    from decimal import Decimal

    case = case_in("draft", region_code="440100", campaign=campaign)
    client = sign_in(submitter("440100", username="sub-440100"))
    body = {"indicators": [{"name": "培训人次", "value": value, "unit": "人次"}]}
    assert client.patch(f"{API}/submissions/{case.pk}", body, format="json").status_code == 200
    assert list(case.indicators.values_list("value", flat=True)) == [Decimal(stored)]
