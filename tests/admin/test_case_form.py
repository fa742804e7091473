import pytest
from django.urls import reverse

from cases.models import Case, CaseTransition
from tests.admin.helpers import case_form_data, form_errors, indicator_fields

pytestmark = pytest.mark.django_db


def test_create_page_renders_sections_counters_and_help(as_user, submitter, campaign):
    response = as_user(submitter).get(reverse("cases:add"))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("基本信息", "案例正文", "成效与指标", "图片与附件", "联系人"):
        assert heading in html
    assert 'maxlength="4000"' in html  # approach
    assert 'data-limit="1500"' in html
    assert "分条写明具体举措" in html
    assert "cases/admin/case_form.js" in html
    # No status, tier or rank field; only open campaigns.
    assert 'name="status"' not in html and 'name="tier"' not in html and 'name="nomination_rank"' not in html


def test_submitter_creates_saves_and_reopens_draft_without_losing_text(as_user, submitter, campaign):
    client = as_user(submitter)
    category = campaign.categories.first()
    data = case_form_data(campaign=campaign, region_code="440100", category=category)
    response = client.post(reverse("cases:add"), data)
    assert response.status_code == 302, form_errors(response)
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:edit", args=[case.pk]) + "?saved=1"
    assert case.status == "draft"
    assert case.created_by == submitter
    assert CaseTransition.objects.filter(case=case, transition="create").exists()
    assert case.region_id == "440100" and case.category == category
    assert case.approach.startswith("一是建立银龄数字课堂")
    assert list(case.indicators.values_list("name", "unit")) == [("培训人次", "人次")]
    assert case.scenarios == ["life", "learning"]

    # Reopen: everything typed is there.
    page = client.get(response["Location"]).content.decode()
    assert "一是建立银龄数字课堂" in page and "王芳" in page and "培训人次" in page
    assert "草稿已保存" in page

    # Edit and save again through the same form (indicator rows replaced, order kept).
    ind = case.indicators.get()
    data = case_form_data(
        campaign=campaign, region_code="440100", category=category, lessons="新的经验启示",
        indicators=[
            {"id": ind.pk, "name": "培训人次", "value": "13000", "unit": "人次"},
            {"name": "覆盖社区", "value": "45", "unit": "个"},
        ],
    )
    data.update(indicator_fields(
        [{"id": ind.pk, "name": "培训人次", "value": "13000", "unit": "人次"},
         {"name": "覆盖社区", "value": "45", "unit": "个"}], initial=1,
    ))
    response = client.post(reverse("cases:edit", args=[case.pk]), data)
    assert response.status_code == 302, form_errors(response)
    case.refresh_from_db()
    assert case.lessons == "新的经验启示"
    assert [(i.name, str(i.value)) for i in case.indicators.order_by("sort_order")] == [
        ("培训人次", "13000.00"), ("覆盖社区", "45.00")
    ]


def test_draft_saves_incomplete_content(as_user, submitter, campaign):
    data = {
        "campaign": str(campaign.pk), "title": "只写了标题", "region": "440100", "category": "",
        **indicator_fields([]),
    }
    response = as_user(submitter).post(reverse("cases:add"), data)
    assert response.status_code == 302
    case = Case.objects.get()
    page = as_user(submitter).get(reverse("cases:edit", args=[case.pk])).content.decode()
    assert "提交前还需完成以下内容" in page
    assert "请填写“主要做法”。" in page
    assert "申报截止" in page


def test_over_long_title_keeps_typed_values_and_shows_chinese_error(as_user, submitter, campaign):
    data = case_form_data(campaign=campaign, region_code="440100", title="很长的标题" * 20, approach="我写的主要做法")
    response = as_user(submitter).post(reverse("cases:add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "不能超过 60 字（当前 100 字）" in html
    assert "很长的标题" * 20 in html
    assert "我写的主要做法" in html
    assert "王芳" in html
    assert not Case.objects.exists()


def test_region_outside_scope_is_refused(as_user, submitter, campaign):
    data = case_form_data(campaign=campaign, region_code="110000")
    response = as_user(submitter).post(reverse("cases:add"), data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode() or "有效" in response.content.decode()
    assert not Case.objects.exists()


def test_category_of_another_campaign_is_refused(as_user, submitter, campaign):
    from tests.factories import CampaignFactory

    other = CampaignFactory()
    data = case_form_data(campaign=campaign, region_code="440100", category=other.categories.first())
    response = as_user(submitter).post(reverse("cases:add"), data)
    assert response.status_code == 200
    assert "该征集方向不属于所选征集活动" in response.content.decode()


def test_only_submitters_may_create(as_user, recommender, secretariat, campaign):
    # Wagtail answers PermissionDenied with a redirect to the dashboard and a message.
    for user in (recommender, secretariat):
        response = as_user(user).get(reverse("cases:add"))
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
        data = case_form_data(campaign=campaign, region_code="440100")
        assert as_user(user).post(reverse("cases:add"), data).status_code == 302
    assert not Case.objects.exists()
