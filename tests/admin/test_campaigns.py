import pytest
from django.urls import reverse

from cases.models import Campaign
from tests import factories
from tests.admin.helpers import form_errors

pytestmark = pytest.mark.django_db


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data[f"{prefix}-{i}-ORDER"] = str(i + 1)
        data[f"{prefix}-{i}-DELETE"] = ""
        data[f"{prefix}-{i}-id"] = ""
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = str(value)
    return data


# Draftail posts its content as JSON content state.
CALL_TEXT = (
    '{"blocks":[{"key":"a1","text":"征集通知","type":"unstyled","depth":0,'
    '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}'
)
RUBRIC = [
    {"code": "innovation", "name": "创新性", "description": "", "max_score": 25},
    {"code": "effectiveness", "name": "实效性", "description": "", "max_score": 30},
]


def campaign_data(**overrides) -> dict:
    data = {
        "title": "2027年典型案例征集", "slug": "2027-cases", "year": "2027", "batch": "1", "status": "open",
        "call_text": CALL_TEXT, "submission_opens": "2027-01-01 09:00", "submission_closes": "2027-03-31 17:00",
        "time_zone": "Asia/Shanghai", "nomination_required": "on", "default_quota": "3",
        "reviewers_per_case": "5", "aggregation": "trimmed_mean", "review_deadline": "", "notice_days": "7",
        "conflict_same_province": "on", "conflict_same_organisation": "on",
        # 查重 settings: the form shows their defaults (13 characters, 30%), a browser posts them back.
        "similarity_min_run": "13", "similarity_threshold": "30",
    }
    data.update(formset("categories", [{"code": "inclusion", "title": "数字包容", "description": "", "quota": ""}]))
    data.update(formset("quota_overrides", []))
    data.update(formset("rubric", RUBRIC))
    data.update(formset("tiers", [{"code": "exemplary", "title": "示范案例", "quota": 5}]))
    data.update(overrides)
    return data


def test_new_campaign_form_is_prefilled_with_default_rubric(client):
    client.force_login(factories.secretariat(username="sec-c"))
    html = client.get(reverse("campaigns:add")).content.decode()
    for text in ("创新性", "实效性", "可复制可推广性", "示范带动性", 'value="leadership"'):
        assert text in html
    assert 'name="rubric-TOTAL_FORMS" value="4"' in html


def test_secretariat_creates_campaign_with_sections(client):
    client.force_login(factories.secretariat(username="sec-c"))
    response = client.post(reverse("campaigns:add"), campaign_data())
    assert response.status_code == 302, form_errors(response)
    campaign = Campaign.objects.get(slug="2027-cases")
    assert campaign.rubric_total == 55
    assert list(campaign.categories.values_list("code", flat=True)) == ["inclusion"]
    assert campaign.tiers.count() == 1


def test_campaign_validation_messages(client):
    client.force_login(factories.secretariat(username="sec-c"))
    data = campaign_data()
    data.update(formset("rubric", [RUBRIC[0], {**RUBRIC[1], "code": "innovation"}]))
    province = factories.region("440000")
    data.update(formset("quota_overrides", [{"province": province.code, "category_code": "nonexistent", "quota": 2}]))
    response = client.post(reverse("campaigns:add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "评分项代码“innovation”重复" in html
    assert "“nonexistent”不是本活动的征集方向代码" in html
    assert "2027年典型案例征集" in html  # typed values kept
    data = campaign_data()
    data.update(formset("rubric", []))
    html = client.post(reverse("campaigns:add"), data).content.decode()
    assert "评分标准至少需要一个评分项" in html
    assert not Campaign.objects.filter(slug="2027-cases").exists()


def test_campaigns_are_for_the_secretariat_only(client, campaign):
    client.force_login(factories.recommender(username="rec-c"))
    assert client.get(reverse("campaigns:index")).status_code == 302
    assert client.get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 302
    client.force_login(factories.secretariat(username="sec-c"))
    assert client.get(reverse("campaigns:index")).status_code == 200
    assert client.get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 200


def test_campaign_with_cases_cannot_be_deleted(client, campaign):
    from tests.factories import case_in

    case_in("draft", campaign=campaign)
    client.force_login(factories.secretariat(username="sec-c"))
    response = client.post(reverse("campaigns:delete", args=[campaign.pk]))
    assert response.status_code == 302
    assert Campaign.objects.filter(pk=campaign.pk).exists()
