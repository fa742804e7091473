"""活动工作台: counts per state and province, the batch formal check, and granting an extension."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import workflow
from cases.models import Case
from tests import factories
from tests.factories import case_in

pytestmark = pytest.mark.django_db


def test_dashboard_counts_per_state_and_province_with_links(as_user, secretariat, campaign):
    case_in("submitted", campaign=campaign, region_code="440100")
    case_in("recommended", campaign=campaign, region_code="440300")
    case_in("recommended", campaign=campaign, region_code="320100")
    client = as_user(secretariat)
    response = client.get(reverse("desk:dashboard", args=[campaign.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "广东省" in html and "江苏省" in html
    states = {s["status"]: s["count"] for s in response.context["states"]}
    assert states["recommended"] == 2 and states["submitted"] == 1
    gd = next(p for p in response.context["provinces"] if p["code"] == "440000")
    assert gd["total"] == 2
    link = f"{reverse('cases:index')}?campaign={campaign.pk}&amp;province=440000&amp;status=recommended"
    assert link in html
    # The filtered case list honours the province filter.
    listing = client.get(f"{reverse('cases:index')}?campaign={campaign.pk}&province=320000&status=recommended")
    assert listing.status_code == 200
    assert list(listing.context["object_list"].values_list("province_id", flat=True)) == ["320000"]
    assert reverse("desk:dashboard", args=[campaign.pk]) in client.get(reverse("desk:index")).content.decode()


@pytest.mark.parametrize("role", ["submitter", "recommender", "reviewer"])
def test_desk_is_the_secretariats_only(client, campaign, role):
    client.force_login(getattr(factories, role)(username=f"desk-{role}"))
    for name in ("desk:dashboard", "desk:check", "desk:pool", "desk:assignments", "desk:ranking", "desk:notice"):
        assert client.get(reverse(name, args=[campaign.pk])).status_code == 404
    assert client.get(reverse("desk:index")).status_code == 404
    assert '"name": "desk"' not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_batch_pass_check_confirms_then_reports_each_refusal(as_user, secretariat, campaign):
    ok = case_in("recommended", campaign=campaign, region_code="440100", title="通过的案例")
    stale = case_in("recommended", campaign=campaign, region_code="440300", title="已被退回的案例")
    client = as_user(secretariat)
    url = reverse("desk:check", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert "通过的案例" in page and "已被退回的案例" in page
    assert reverse("cases:transition", args=[ok.pk, "fail_check"]) in page

    confirm = client.post(url, {"case": [ok.pk, stale.pk]})
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "确认通过（2 个）" in html and 'name="confirmed" value="1"' in html
    assert Case.objects.get(pk=ok.pk).status == "recommended"

    # Meanwhile someone returns one of them.
    workflow.transition(case=stale, name="return_for_revision", by=secretariat, reason="推荐函缺少盖章")
    response = client.post(url, {"case": [ok.pk, stale.pk], "confirmed": "1"}, follow=True)
    html = response.content.decode()
    assert "已有 1 个案例通过形式审查" in html
    assert "“已被退回的案例”：案例当前状态为“退回修改”，不能执行“形式审查通过”。" in html
    assert Case.objects.get(pk=ok.pk).status == "eligible"
    assert Case.objects.get(pk=stale.pk).status == "returned"


def test_batch_pass_check_needs_a_selection(as_user, secretariat, campaign):
    response = as_user(secretariat).post(reverse("desk:check", args=[campaign.pk]), {}, follow=True)
    assert "请先勾选" in response.content.decode()


def test_grant_an_extension_from_the_case_page(as_user, secretariat, campaign):
    case = case_in("returned", campaign=campaign, region_code="440100")
    client = as_user(secretariat)
    inspect = client.get(reverse("cases:inspect", args=[case.pk])).content.decode()
    assert reverse("cases:extend", args=[case.pk]) in inspect and 'type="datetime-local"' in inspect
    new = timezone.localtime(timezone.now() + timedelta(days=40), campaign.tzinfo).replace(second=0, microsecond=0)
    url = reverse("cases:extend", args=[case.pk])
    response = client.post(url, {"extension-deadline": "", "extension-reason": ""})
    assert "请填写新的截止时间" in response.content.decode() and "请填写延期理由" in response.content.decode()
    past = timezone.localtime(timezone.now() - timedelta(days=1), campaign.tzinfo)
    response = client.post(url, {"extension-deadline": past.strftime("%Y-%m-%dT%H:%M"), "extension-reason": "系统故障"})
    assert "新的截止时间必须晚于现在" in response.content.decode()
    response = client.post(url, {"extension-deadline": new.strftime("%Y-%m-%dT%H:%M"), "extension-reason": "系统故障"}, follow=True)
    assert "已将该案例的申报截止时间延长至" in response.content.decode()
    case.refresh_from_db()
    assert case.deadline_extension == new
    record = case.history.last()
    assert record.transition == "extend_deadline" and record.reason == "系统故障"


def test_extension_is_offered_only_to_the_secretariat_for_draft_or_returned(as_user, secretariat, campaign):
    submitted = case_in("submitted", campaign=campaign, region_code="440100")
    client = as_user(secretariat)
    assert reverse("cases:extend", args=[submitted.pk]) not in client.get(reverse("cases:inspect", args=[submitted.pk])).content.decode()
    response = client.post(reverse("cases:extend", args=[submitted.pk]),
                           {"extension-deadline": "2099-01-01T10:00", "extension-reason": "x"})
    assert "只有草稿或退回修改的案例可以延期" in response.content.decode()
    draft = case_in("draft", campaign=campaign, region_code="440100")
    submitter = factories.submitter("440100", username="sub-440100")
    assert "延长该案例的申报截止时间" not in as_user(submitter).get(reverse("cases:inspect", args=[draft.pk])).content.decode()
    assert as_user(submitter).post(reverse("cases:extend", args=[draft.pk]), {}).status_code == 404
