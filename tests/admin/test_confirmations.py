"""Every action says what it will do before it does it (issue 16, item 3): the confirmation pages
list only the cases that will change, explain each skipped one with the guard's own message, and
offer no confirm button when nothing would change."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import notice, preview
from cases.models import Case, CaseTransition, ReviewAssignment, ReviewerPoolMember
from cases.review.scoring import save_review
from tests import factories
from tests.factories import case_in

pytestmark = pytest.mark.django_db

FULL = {"innovation": 20, "effectiveness": 25, "replicability": 20, "leadership": 15}


def _skipped(html: str) -> list[str]:
    block = re.search(r"<ul data-confirm-skipped>(.*?)</ul>", html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1), re.S) if block else []


def _changes(html: str) -> list[str]:
    block = re.search(r"<ul class=\"cb-confirm__items\" data-confirm-items>(.*?)</ul>", html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1), re.S) if block else []


def _has_confirm_button(html: str) -> bool:
    return 'name="confirmed" value="1"' in html


def test_a_rehearsal_changes_nothing_and_sends_nothing(secretariat, campaign, django_capture_on_commit_callbacks):
    case = case_in("recommended", campaign=campaign, region_code="440100")
    before = CaseTransition.objects.count()
    with django_capture_on_commit_callbacks() as callbacks:
        assert preview.refusal(case=case.pk, name="pass_check", by=secretariat) is None
    assert callbacks == [] and CaseTransition.objects.count() == before
    assert Case.objects.get(pk=case.pk).status == "recommended"
    assert preview.refusal(case=case.pk, name="publish", by=secretariat) == "案例当前状态为“已推荐”，不能执行“发布”。"


def test_complete_review_says_how_many_scores_are_missing_before_confirming(as_user, secretariat, campaign):
    campaign.reviewers_per_case = 5
    campaign.save()
    case = case_in("in_review", campaign=campaign, region_code="440100")
    first = case.review_assignments.select_related("reviewer").first()
    save_review(assignment_id=first.pk, by=first.reviewer, scores=FULL, final=True)
    page = as_user(secretariat).get(reverse("cases:transition", args=[case.pk, "complete_review"])).content.decode()
    assert "还有 4 份评分未提交，不能完成评审。" in page
    assert "确认完成评审" not in page  # no confirm button to press first and be refused after


def test_files_page_offers_submit_only_when_the_case_is_complete(as_user, campaign):
    case = case_in("draft", campaign=campaign, region_code="440100")
    submitter = factories.submitter("440100", username="sub-440100")
    client = as_user(submitter)
    url = reverse("cases:files", args=[case.pk])
    html = client.get(url).content.decode()
    assert "必填内容已经完整，可以提交" in html
    assert f'href="{reverse("cases:transition", args=[case.pk, "submit"])}" data-submit-link' in html
    Case.objects.filter(pk=case.pk).update(summary="")
    assert "data-submit-link" not in client.get(url).content.decode()


def test_pass_check_lists_only_the_cases_it_will_change(as_user, secretariat, campaign):
    waiting = case_in("recommended", campaign=campaign, region_code="440100", title="待审查的案例")
    done = case_in("eligible", campaign=campaign, region_code="440300", title="已通过的案例")
    client = as_user(secretariat)
    html = client.post(reverse("desk:check", args=[campaign.pk]), {"case": [waiting.pk, done.pk]}).content.decode()
    assert _changes(html) == ["待审查的案例"]
    assert _skipped(html) == ["<strong>已通过的案例</strong>：案例当前状态为“形式审查通过”，不能执行“形式审查通过”。"]
    assert "确认通过（1 个）" in html


def test_start_review_names_the_cases_without_enough_reviewers(as_user, secretariat, campaign):
    ready = case_in("eligible", campaign=campaign, region_code="440100", title="已分配的案例")
    bare = case_in("eligible", campaign=campaign, region_code="440300", title="未分配的案例")
    from cases.review.assignment import auto_assign
    from tests.workflow_paths import reviewer_pool

    reviewer_pool(campaign)
    auto_assign(campaign=campaign, by=secretariat, cases=[ready])
    html = as_user(secretariat).post(reverse("desk:assignments", args=[campaign.pk]), {"operation": "start"}).content.decode()
    assert _changes(html) == ["已分配的案例"]
    assert _skipped(html) == ["<strong>未分配的案例</strong>：需要分配 2 位评审专家，目前只有 0 位。"]
    assert Case.objects.get(pk=bare.pk).status == "eligible" and Case.objects.get(pk=ready.pk).status == "eligible"


def test_publish_lists_only_cases_whose_notice_is_over_and_explains_the_others(as_user, secretariat, campaign):
    over = case_in("in_notice", campaign=campaign, region_code="440100", title="公示已满的案例")
    case_in("in_notice", campaign=campaign, region_code="440300", title="公示未满的案例")
    objected = case_in("in_notice", campaign=campaign, region_code="440400", title="有异议的案例")
    notice.submit_objection(case_id=objected.pk, name="李明", phone="13900139000", email="lm@example.cn",
                            reason="该案例的培训人次数据与公开报道不符。")
    Case.objects.filter(pk__in=[over.pk, objected.pk]).update(notice_ends=timezone.now() - timezone.timedelta(seconds=1))
    client = as_user(secretariat)
    url = reverse("desk:notice", args=[campaign.pk])
    html = client.post(url, {"operation": "publish"}).content.decode()
    assert _changes(html) == ["公示已满的案例"]
    skipped = _skipped(html)
    assert len(skipped) == 2
    assert skipped[0].startswith("<strong>公示未满的案例</strong>：公示期至 ") and skipped[0].endswith("结束，结束后才能发布。")
    assert skipped[1] == "<strong>有异议的案例</strong>：该案例有 1 条异议尚未处理，处理完毕后才能发布。"
    assert "确认发布（1 个）" in html and all(c.status == "in_notice" for c in Case.objects.filter(campaign=campaign))

    # Nothing publishable: the reasons, and no button to press.
    Case.objects.filter(pk=over.pk).update(notice_ends=timezone.now() + timezone.timedelta(days=1))
    html = client.post(url, {"operation": "publish"}).content.decode()
    assert _changes(html) == [] and len(_skipped(html)) == 3
    assert not _has_confirm_button(html) and "目前没有可以执行此操作的案例" in html


def test_shortlisting_confirms_and_never_preselects_a_full_tier(as_user, secretariat, campaign):
    tier = campaign.tiers.get(code="exemplary")
    tier.quota = 1
    tier.save()
    case_in("shortlisted", campaign=campaign, region_code="440100")  # the one exemplary place
    case = case_in("reviewed", campaign=campaign, region_code="440300", title="待遴选的案例")
    client = as_user(secretariat)
    url = reverse("desk:ranking", args=[campaign.pk])
    page = client.get(url).content.decode()
    select = re.search(rf'<select id="tier-{case.pk}" name="tier">(.*?)</select>', page, re.S).group(1)
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", select)
    assert options[0] == ("" + ' value=""', "请选择入选等级")
    assert options[1] == (' value="exemplary" disabled', "示范案例（已满 1/1）")
    assert options[2] == (' value="excellent"', "优秀案例（已用 0/100）")
    assert "selected" not in select

    confirm = client.post(url, {"operation": "shortlist", "case": case.pk, "tier": "excellent"}).content.decode()
    assert "确认拟入选" in confirm and "已用 0 / 100，确认后 1 / 100" in confirm and _has_confirm_button(confirm)
    assert Case.objects.get(pk=case.pk).status == "reviewed"

    full = client.post(url, {"operation": "shortlist", "case": case.pk, "tier": "exemplary"}).content.decode()
    assert _skipped(full) == ["<strong>待遴选的案例</strong>：“示范案例”名额（1）已满。"] and not _has_confirm_button(full)
    none = client.post(url, {"operation": "shortlist", "case": case.pk, "tier": ""}).content.decode()
    assert _skipped(none) == ["<strong>待遴选的案例</strong>：请选择入选等级。"]


def test_open_notice_lists_what_will_enter_notice(as_user, secretariat, campaign):
    case_in("shortlisted", campaign=campaign, region_code="440100", title="拟入选的案例")
    html = as_user(secretariat).post(reverse("desk:notice", args=[campaign.pk]), {"operation": "open"}).content.decode()
    assert _changes(html) == ["拟入选的案例"] and _skipped(html) == []
    assert Case.objects.get(campaign=campaign).status == "shortlisted"


def test_pool_takes_several_reviewers_at_once(as_user, secretariat, campaign):
    a = factories.reviewer("310000", username="rev-a", first_name="甲专家")
    b = factories.reviewer("420000", username="rev-b", first_name="乙专家")
    factories.reviewer("510000", username="rev-c", first_name="丙专家")
    client = as_user(secretariat)
    url = reverse("desk:pool", args=[campaign.pk])
    response = client.post(url, {"operation": "add", "reviewers": [a.pk, b.pk], "load_cap": "10"}, follow=True)
    assert "已将 甲专家、乙专家 加入专家库" in response.content.decode()
    assert set(ReviewerPoolMember.objects.filter(campaign=campaign).values_list("reviewer__username", "load_cap")) == {
        ("rev-a", 10), ("rev-b", 10),
    }
    # A list that changed under the form: nobody is added, and the form says so.
    gone = client.post(url, {"operation": "add", "reviewers": [a.pk], "load_cap": "10"})
    assert "请选择列表中的评审专家" in gone.content.decode()
    assert ReviewerPoolMember.objects.filter(campaign=campaign).count() == 2


def test_pool_add_all_skips_reviewers_in_conflict_with_every_case(as_user, secretariat, campaign):
    case_in("recommended", campaign=campaign, region_code="440100")  # the only case needing reviewers: Guangdong
    factories.reviewer("310000", username="rev-sh", first_name="上海专家")
    factories.reviewer("440000", username="rev-gd", first_name="广东专家")
    client = as_user(secretariat)
    url = reverse("desk:pool", args=[campaign.pk])
    assert "加入全部无回避冲突的专家（1 位）" in client.get(url).content.decode()
    html = client.post(url, {"operation": "add_all"}).content.decode()
    assert len(_changes(html)) == 1 and "上海专家" in _changes(html)[0]
    assert len(_skipped(html)) == 1 and "广东专家" in _skipped(html)[0] and "与本活动所有待评审案例都需回避（与案例同省）" in html
    assert not ReviewerPoolMember.objects.exists()
    client.post(url, {"operation": "add_all", "confirmed": "1"})
    assert list(ReviewerPoolMember.objects.values_list("reviewer__username", flat=True)) == ["rev-sh"]


def test_rehearsals_cost_a_bounded_number_of_queries(as_user, secretariat, campaign):
    cases = [case_in("recommended", campaign=campaign, region_code=code) for code in ("440100", "440300", "440400")]
    client = as_user(secretariat)
    url = reverse("desk:check", args=[campaign.pk])
    with CaptureQueriesContext(connection) as one:
        client.post(url, {"case": [cases[0].pk]})
    with CaptureQueriesContext(connection) as three:
        client.post(url, {"case": [c.pk for c in cases]})
    per_case = (len(three) - len(one)) / 2
    assert per_case <= 12, f"{per_case} queries per rehearsed case"
    assert not ReviewAssignment.objects.exists()
