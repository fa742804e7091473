"""Reviewer pool, assignment and scoring through the admin pages."""

import pytest
from django.urls import reverse

from cases.models import Case, ReviewAssignment, ReviewerPoolMember
from cases.review.scoring import save_review
from tests import factories
from tests.factories import case_in
from tests.workflow_paths import reviewer_pool

pytestmark = pytest.mark.django_db

FULL = {"score_innovation": "20", "score_effectiveness": "25", "score_replicability": "20", "score_leadership": "15"}


def test_pool_add_list_with_load_edit_and_remove(as_user, secretariat, campaign):
    reviewer = factories.reviewer("310000", username="rev-sh", first_name="张教授", organisation="上海某大学")
    client = as_user(secretariat)
    url = reverse("desk:pool", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert "张教授" in page  # offered in the select
    response = client.post(url, {
        "operation": "add", "reviewers": [reviewer.pk], "expertise_scenarios": ["life", "learning"],
        "expertise_tasks": ["life"], "load_cap": "12",
    }, follow=True)
    html = response.content.decode()
    assert "已将 张教授 加入专家库" in html
    member = ReviewerPoolMember.objects.get(campaign=campaign, reviewer=reviewer)
    assert member.load_cap == 12 and member.expertise_scenarios == ["life", "learning"]
    assert "数字生活、数字学习" in html and "0 / 12" in html

    edit = reverse("desk:pool_member", args=[campaign.pk, member.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"expertise_scenarios": ["work"], "load_cap": "5"})
    member.refresh_from_db()
    assert member.load_cap == 5 and member.expertise_scenarios == ["work"] and member.expertise_tasks == []

    confirm = client.post(url, {"operation": "remove", "member": member.pk})
    assert "确认移出" in confirm.content.decode() and ReviewerPoolMember.objects.filter(pk=member.pk).exists()
    client.post(url, {"operation": "remove", "member": member.pk, "confirmed": "1"})
    assert not ReviewerPoolMember.objects.filter(pk=member.pk).exists()


def test_pool_refuses_bad_input(as_user, secretariat, campaign):
    client = as_user(secretariat)
    url = reverse("desk:pool", args=[campaign.pk])
    submitter = factories.submitter(username="not-a-reviewer")
    response = client.post(url, {"operation": "add", "reviewers": [submitter.pk], "load_cap": "3"})
    assert response.status_code == 200
    assert not ReviewerPoolMember.objects.exists()
    reviewer = factories.reviewer(username="rev-cap")
    response = client.post(url, {"operation": "add", "reviewers": [reviewer.pk], "load_cap": "0"})
    assert response.status_code == 200 and not ReviewerPoolMember.objects.exists()


def test_auto_assign_page_reports_created_and_problems(as_user, secretariat, campaign):
    campaign.reviewers_per_case = 3
    campaign.save()
    a = case_in("eligible", campaign=campaign, region_code="440100", title="甲")
    b = case_in("eligible", campaign=campaign, region_code="440300", title="乙")
    for code in ("110000", "310000"):
        ReviewerPoolMember.objects.create(campaign=campaign, reviewer=factories.reviewer(code, username=f"r-{code}"))
    client = as_user(secretariat)
    url = reverse("desk:assignments", args=[campaign.pk])
    assert "甲" in client.get(url).content.decode()
    confirm = client.post(url, {"operation": "auto"})
    assert "开始自动分配" in confirm.content.decode() and not ReviewAssignment.objects.exists()
    response = client.post(url, {"operation": "auto", "confirmed": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "新分配评审任务 4 项" in html
    assert "“甲”需要 3 位评审专家，只找到 2 位" in html and "请扩充专家库或提高评审上限" in html
    assert ReviewAssignment.objects.filter(case__in=[a, b]).count() == 4


def test_manual_assignment_refuses_a_conflict_and_removal_confirms(as_user, secretariat, campaign):
    case = case_in("eligible", campaign=campaign, region_code="440100")
    same_province = factories.reviewer("440000", username="rev-gd", first_name="粤专家")
    ReviewerPoolMember.objects.create(campaign=campaign, reviewer=same_province)
    outsider = factories.reviewer("110000", username="rev-bj", first_name="京专家")
    ReviewerPoolMember.objects.create(campaign=campaign, reviewer=outsider)
    client = as_user(secretariat)
    url = reverse("desk:assignments", args=[campaign.pk])
    assert "需回避：与案例同省" in client.get(url).content.decode()
    response = client.post(url, {"operation": "add", "case": case.pk, "reviewer": same_province.pk}, follow=True)
    assert "该专家需回避：与案例同省。" in response.content.decode()
    assert not ReviewAssignment.objects.filter(case=case, reviewer=same_province).exists()
    response = client.post(url, {"operation": "add", "case": case.pk, "reviewer": outsider.pk}, follow=True)
    assert "已为" in response.content.decode()
    assignment = ReviewAssignment.objects.get(case=case, reviewer=outsider)
    assert "撤销评审分配" in client.post(url, {"operation": "remove", "assignment": assignment.pk}).content.decode()
    client.post(url, {"operation": "remove", "assignment": assignment.pk, "confirmed": "1"})
    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()


def test_start_review_batch_reports_cases_without_reviewers(as_user, secretariat, campaign):
    ready = case_in("eligible", campaign=campaign, region_code="440100", title="已分配")
    bare = case_in("eligible", campaign=campaign, region_code="440300", title="未分配")
    for member in reviewer_pool(campaign):
        ReviewAssignment.objects.create(case=ready, reviewer=member.reviewer)
    client = as_user(secretariat)
    url = reverse("desk:assignments", args=[campaign.pk])
    assert "确认开始评审" in client.post(url, {"operation": "start"}).content.decode()
    response = client.post(url, {"operation": "start", "confirmed": "1"}, follow=True)
    html = response.content.decode()
    assert "已有 1 个案例进入专家评审" in html and "“未分配”：需要分配 2 位评审专家" in html
    assert Case.objects.get(pk=ready.pk).status == "in_review" and Case.objects.get(pk=bare.pk).status == "eligible"


def _assignments(case):
    return list(case.review_assignments.select_related("reviewer").order_by("pk"))


def test_reviewer_scores_a_draft_then_submits_final_and_cannot_change(client, campaign):
    campaign.hide_organisation_from_reviewers = True
    campaign.save()
    case = case_in("in_review", campaign=campaign, region_code="440100", organisation="越秀区委网信办")
    mine, other = _assignments(case)
    save_review(assignment_id=other.pk, by=other.reviewer, scores={"innovation": 11}, comment="另一位专家的保密意见")
    client.force_login(mine.reviewer)
    index = client.get(reverse("reviews:index"))
    assert index.status_code == 200 and case.title in index.content.decode()
    url = reverse("reviews:score", args=[mine.pk])
    html = client.get(url).content.decode()
    assert "创新性（0–25 分）" in html and 'max="25"' in html
    assert "越秀区委网信办" not in html and "wangfang@example.cn" not in html and "13800138000" not in html
    assert "另一位专家的保密意见" not in html
    attachment = case.attachments.first()
    assert reverse("case_files:attachment", args=[attachment.pk]) in html
    assert client.get(reverse("case_files:attachment", args=[attachment.pk])).status_code == 200
    # The generic case page hides the organisation too.
    inspect = client.get(reverse("cases:inspect", args=[case.pk])).content.decode()
    assert "越秀区委网信办" not in inspect and "另一位专家的保密意见" not in inspect

    response = client.post(url, {"action": "draft", "score_innovation": "20", "comment": "亮点突出"}, follow=True)
    assert "评分草稿已保存" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "draft" and mine.scores == {"innovation": 20} and mine.total is None

    response = client.post(url, {"action": "draft", "score_innovation": "26"})
    assert "分数不能超过 25" in response.content.decode()

    incomplete = client.post(url, {"action": "final", "score_innovation": "20"})
    assert "提交前请为以下各项打分" in incomplete.content.decode()

    confirm = client.post(url, {"action": "final", **FULL, "comment": "亮点突出"})
    html = confirm.content.decode()
    assert "提交后不能修改" in html and "总分：80" in html
    mine.refresh_from_db()
    assert mine.status == "draft"
    response = client.post(url, {"action": "final", **FULL, "comment": "亮点突出", "confirmed": "1"}, follow=True)
    assert "评分已提交" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "final" and mine.total == 80

    page = client.get(url).content.decode()
    assert "不能再修改" in page and 'name="action" value="final"' not in page
    again = client.post(url, {"action": "draft", **FULL, "score_innovation": "1"})
    assert "评分已提交，不能再修改" in again.content.decode()
    mine.refresh_from_db()
    assert mine.scores["innovation"] == 20


def test_reviewer_gets_404_for_unassigned_assignments_and_cases(client, campaign):
    case = case_in("in_review", campaign=campaign, region_code="440100")
    unassigned = case_in("eligible", campaign=campaign, region_code="440300")
    mine, other = _assignments(case)
    client.force_login(mine.reviewer)
    assert client.get(reverse("reviews:score", args=[other.pk])).status_code == 404
    assert client.post(reverse("reviews:score", args=[other.pk]), {"action": "draft", **FULL}).status_code == 404
    stranger = factories.reviewer("610000", username="rev-stranger")
    client.force_login(stranger)
    assert client.get(reverse("reviews:score", args=[mine.pk])).status_code == 404
    assert client.get(reverse("cases:inspect", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:inspect", args=[unassigned.pk])).status_code == 404
    assert case.title not in client.get(reverse("reviews:index")).content.decode()
    # Other roles have no 我的评审.
    client.force_login(factories.secretariat(username="sec-rev"))
    assert client.get(reverse("reviews:index")).status_code == 404


def test_reviewer_declares_a_conflict(client, campaign):
    case = case_in("in_review", campaign=campaign, region_code="440100")
    mine, _other = _assignments(case)
    client.force_login(mine.reviewer)
    url = reverse("reviews:score", args=[mine.pk])
    response = client.post(url, {"action": "conflict", "conflict-reason": ""})
    assert "请说明回避理由" in response.content.decode()
    confirm = client.post(url, {"action": "conflict", "conflict-reason": "曾参与该项目评估"})
    assert "确认回避" in confirm.content.decode()
    response = client.post(url, {"action": "conflict", "conflict-reason": "曾参与该项目评估", "confirmed": "1"}, follow=True)
    assert "已声明回避" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "conflict" and mine.conflict_reason == "曾参与该项目评估"
    assert client.get(url).status_code == 404


def test_reviewer_dashboard_panel_shows_pending_reviews_and_deadline(client, campaign):
    from datetime import timedelta

    from django.utils import timezone

    campaign.review_deadline = timezone.now() + timedelta(days=5)
    campaign.save()
    case = case_in("in_review", campaign=campaign, region_code="440100")
    mine, _other = _assignments(case)
    client.force_login(mine.reviewer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "待评分" in html and "您有 <strong>1</strong> 个案例的评分尚未提交" in html and "评审截止" in html
    assert '"name": "my-reviews"' in html
