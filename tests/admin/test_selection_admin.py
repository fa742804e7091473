"""排名与遴选 and 公示与发布 through the admin pages."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from cases import notice
from cases.models import Case, Objection
from tests import factories
from tests.factories import case_in
from tests.files import pdf_upload

pytestmark = pytest.mark.django_db


def _objection(case, **kw):
    data = {"name": "李明", "phone": "13900139000", "email": "liming@example.cn", "reason": "该案例的培训人次数据与公开报道不符。"}
    return notice.submit_objection(case_id=case.pk, **{**data, **kw})


def test_ranking_page_is_the_secretariats_only(client, campaign):
    case = case_in("reviewed", campaign=campaign, region_code="440100")
    reviewer = case.review_assignments.first().reviewer
    url = reverse("desk:ranking", args=[campaign.pk])
    for user in (factories.submitter("440100", username="sub-440100"), factories.recommender(username="rk-rec"), reviewer):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("desk:scores_xlsx", args=[campaign.pk])).status_code == 404
        assert client.get(reverse("desk:ranking_xlsx", args=[campaign.pk])).status_code == 404
    client.force_login(factories.secretariat(username="rk-sec"))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert case.title in html and "排名依据" in html and "去极值平均分" in html
    row = response.context["rows"][0]["r"]
    # The default method (去掉一个最高分和一个最低分) needs 5 totals: with 2 the case is listed, unranked.
    assert row.n_scores == 2 and row.mean == 80 and row.trimmed_mean is None and row.rank is None
    assert "不参与排名" in html


def test_ranking_flags_disagreement_and_highlights_the_method(as_user, secretariat, campaign):
    from cases.review.scoring import save_review

    campaign.aggregation = "mean"
    campaign.save()
    case = case_in("in_review", campaign=campaign, region_code="440100")
    low, high = case.review_assignments.select_related("reviewer")
    save_review(assignment_id=low.pk, by=low.reviewer, final=True,
                scores={"innovation": 10, "effectiveness": 10, "replicability": 10, "leadership": 10})
    save_review(assignment_id=high.pk, by=high.reviewer, final=True,
                scores={"innovation": 25, "effectiveness": 30, "replicability": 25, "leadership": 20})
    html = as_user(secretariat).get(reverse("desk:ranking", args=[campaign.pk])).content.decode()
    assert "分歧较大" in html and "70.00" in html
    assert '<th scope="col" class="cb-method">平均分' in html


def test_shortlist_and_not_select_via_the_ranking_page(as_user, secretariat, campaign):
    a = case_in("reviewed", campaign=campaign, region_code="440100", title="入选的案例")
    b = case_in("reviewed", campaign=campaign, region_code="440300", title="未入选的案例")
    client = as_user(secretariat)
    url = reverse("desk:ranking", args=[campaign.pk])
    assert "已用 0/50" in client.get(url).content.decode()
    confirm = client.post(url, {"operation": "shortlist", "case": a.pk, "tier": "exemplary"})
    assert "确认拟入选" in confirm.content.decode() and Case.objects.get(pk=a.pk).status == "reviewed"
    response = client.post(url, {"operation": "shortlist", "case": a.pk, "tier": "exemplary", "confirmed": "1"}, follow=True)
    assert "“入选的案例”已拟入选（示范案例）" in response.content.decode()
    assert "已用 1/50" in response.content.decode()
    a.refresh_from_db()
    assert a.status == "shortlisted" and a.tier.code == "exemplary"
    response = client.post(url, {"operation": "shortlist", "case": a.pk, "tier": "exemplary", "confirmed": "1"}, follow=True)
    assert "案例状态已变为“拟入选”" in response.content.decode()

    confirm = client.post(url, {"operation": "not_select", "case": b.pk, "reason": "名额有限"})
    assert "确认未入选" in confirm.content.decode() and "名额有限" in confirm.content.decode()
    assert Case.objects.get(pk=b.pk).status == "reviewed"
    client.post(url, {"operation": "not_select", "case": b.pk, "reason": "名额有限", "confirmed": "1"})
    b.refresh_from_db()
    assert b.status == "not_selected" and b.history.last().reason == "名额有限"


def test_tier_quota_refusal_is_a_message(as_user, secretariat, campaign):
    tier = campaign.tiers.get(code="excellent")
    tier.quota = 1
    tier.save()
    case_in("shortlisted", campaign=campaign, region_code="440100")  # takes an exemplary place
    first = case_in("reviewed", campaign=campaign, region_code="440300")
    second = case_in("reviewed", campaign=campaign, region_code="440100")
    client = as_user(secretariat)
    url = reverse("desk:ranking", args=[campaign.pk])
    client.post(url, {"operation": "shortlist", "case": first.pk, "tier": "excellent", "confirmed": "1"})
    response = client.post(url, {"operation": "shortlist", "case": second.pk, "tier": "excellent", "confirmed": "1"}, follow=True)
    assert "“优秀案例”名额（1）已满" in response.content.decode()


def test_score_sheet_and_ranking_open_with_openpyxl(as_user, secretariat, campaign):
    case = case_in("reviewed", campaign=campaign, region_code="440100", title="导出的案例")
    client = as_user(secretariat)
    scores = client.get(reverse("desk:scores_xlsx", args=[campaign.pk]) + "?category=inclusion")
    assert scores.status_code == 200 and "filename*=UTF-8''" in scores["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(scores.content)).active
    values = [v for row in sheet.iter_rows(values_only=True) for v in row]
    assert "导出的案例" in values and "专家1·创新性" in values and 80 in values
    ranking = client.get(reverse("desk:ranking_xlsx", args=[campaign.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(ranking.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("排名", "案例编号", "案例名称")
    assert rows[2][1] == case.pk and rows[2][2] == "导出的案例"


def test_open_notice_shows_the_end_date_before_confirming(as_user, secretariat, campaign):
    campaign.notice_days = 7
    campaign.save()
    case = case_in("shortlisted", campaign=campaign, region_code="440100", title="将公示的案例")
    client = as_user(secretariat)
    url = reverse("desk:notice", args=[campaign.pk])
    assert "拟入选案例 1 个" in client.get(url).content.decode()
    _starts, ends = notice.notice_window(campaign)
    confirm = client.post(url, {"operation": "open"})
    html = confirm.content.decode()
    assert "将公示的案例" in html and f"{ends:%Y}年{ends.month}月{ends.day}日 23:59" in html and "共 7 天" in html
    assert Case.objects.get(pk=case.pk).status == "shortlisted"
    response = client.post(url, {"operation": "open", "confirmed": "1"}, follow=True)
    assert "已有 1 个案例进入公示" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "in_notice" and case.notice_ends == ends


def test_rule_an_objection_with_contacts_shown_to_the_secretariat_only(client, campaign):
    case = case_in("in_notice", campaign=campaign, region_code="440100")
    objection = _objection(case, evidence=pdf_upload())
    url = reverse("desk:objection", args=[objection.pk])
    for user in (factories.recommender(username="obj-rec"), factories.submitter("440100", username="sub-440100")):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("desk:objection_evidence", args=[objection.pk])).status_code == 404
    client.force_login(factories.secretariat(username="obj-sec"))
    listing = client.get(reverse("desk:notice", args=[campaign.pk])).content.decode()
    assert objection.reference in listing and "核查中" in listing
    html = client.get(url).content.decode()
    assert "13900139000" in html and "liming@example.cn" in html and "培训人次数据" in html
    evidence = client.get(reverse("desk:objection_evidence", args=[objection.pk]))
    assert evidence.status_code == 200 and evidence["Cache-Control"].startswith("private, no-store")
    response = client.post(url, {"outcome": "dismissed", "conclusion": ""})
    assert "请填写核查结论" in response.content.decode()
    confirm = client.post(url, {"outcome": "dismissed", "conclusion": "经核实数据属实。"})
    assert "确认处理结果" in confirm.content.decode()
    assert Objection.objects.get(pk=objection.pk).outcome == "open"
    response = client.post(url, {"outcome": "dismissed", "conclusion": "经核实数据属实。", "confirmed": "1"}, follow=True)
    html = response.content.decode()
    assert "已处理：异议不成立" in html and "经核实数据属实。" in html
    assert Objection.objects.get(pk=objection.pk).outcome == "dismissed"


def test_upheld_objection_disqualifies_through_the_page(as_user, secretariat, campaign):
    case = case_in("in_notice", campaign=campaign, region_code="440100")
    objection = _objection(case)
    url = reverse("desk:objection", args=[objection.pk])
    confirm = as_user(secretariat).post(url, {"outcome": "upheld", "conclusion": "抄袭属实。"})
    assert "取消入选" in confirm.content.decode()
    as_user(secretariat).post(url, {"outcome": "upheld", "conclusion": "抄袭属实。", "confirmed": "1"})
    assert Case.objects.get(pk=case.pk).status == "disqualified"


def test_publish_batch_reports_the_refusal_for_an_open_objection(as_user, secretariat, campaign):
    blocked = case_in("in_notice", campaign=campaign, region_code="440100", title="有异议的案例")
    clear = case_in("in_notice", campaign=campaign, region_code="440300", title="无异议的案例")
    _objection(blocked)
    Case.objects.filter(pk__in=[blocked.pk, clear.pk]).update(notice_ends=timezone.now() - timezone.timedelta(seconds=1))
    client = as_user(secretariat)
    url = reverse("desk:notice", args=[campaign.pk])
    confirm = client.post(url, {"operation": "publish"})
    assert "确认发布" in confirm.content.decode()
    response = client.post(url, {"operation": "publish", "confirmed": "1"}, follow=True)
    html = response.content.decode()
    assert "已发布 1 个案例" in html
    assert "“有异议的案例”：该案例有 1 条异议尚未处理，处理完毕后才能发布。" in html
    assert Case.objects.get(pk=clear.pk).status == "published"
    assert Case.objects.get(pk=blocked.pk).status == "in_notice"
