"""The dashboards are to-do lists (issue 16, item 2): per role what waits on this person, counted
by cases/worklists.py in a fixed number of queries, changing when the work is done, with
deadlines in Beijing time and links to the filtered lists."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import workflow, worklists
from cases.models import Objection, ReviewAssignment
from cases.review.scoring import save_review
from tests import factories
from tests.workflow_paths import bring_to

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def queries(fn, *args):
    with CaptureQueriesContext(connection) as ctx:
        result = fn(*args)
    return result, len(ctx.captured_queries)


def test_submitter_todo_counts_drafts_and_returned_with_reason(client, campaign):
    submitter = factories.submitter("440100", username="sub-440100")
    bring_to("draft", campaign=campaign, region_code="440100", title="待完成的草稿")
    returned = bring_to("returned", campaign=campaign, region_code="440100", title="退回的案例")
    todo, n = queries(worklists.submitter_todo, submitter)
    assert (todo.drafts, [c.title for c in todo.returned]) == (1, ["退回的案例"])
    assert todo.returned[0].return_reason == "请补充成效数据"
    assert n == 3
    # One more draft and one more returned case: still 3 queries, counts follow.
    bring_to("draft", campaign=campaign, region_code="440100", title="第二份草稿")
    bring_to("returned", campaign=campaign, region_code="440100", title="第二个退回的案例")
    todo, n = queries(worklists.submitter_todo, submitter)
    assert (todo.drafts, len(todo.returned), n) == (2, 2, 3)
    # Resubmitting takes it off the list.
    workflow.transition(case=returned, name="submit", by=submitter)
    assert [c.title for c in worklists.submitter_todo(submitter).returned] == ["第二个退回的案例"]

    submitter.refresh_from_db()  # bring_to's get_or_create set its password again
    client.force_login(submitter)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    closes = timezone.localtime(campaign.submission_closes, BEIJING)
    assert "2 个草稿待完成并提交" in html and f'href="{reverse("cases:index")}?status=draft"' in html
    assert "请补充成效数据" in html and reverse("cases:edit", args=[returned.pk]) not in html
    assert f"{closes:%Y年}{closes.month}月{closes.day}日 {closes:%H:%M}</strong>（北京时间）" in html


def test_new_case_button_has_a_visible_label(client, campaign):
    client.force_login(factories.submitter("440100", username="sub-440100"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    # Wagtail's icon-button markup: the icon wrapped in its own box, the label beside it.
    assert 'class="button bicolor button--icon"' in html and "新建案例</a>" in html
    assert 'class="icon-wrapper"' in html


def test_recommender_todo_counts_awaiting_and_quota_per_category(client, campaign):
    campaign.default_quota = 2
    campaign.save()
    recommender = factories.recommender("440000", username="rec-440000")
    inclusion = campaign.categories.get(code="inclusion")
    first = bring_to("submitted", campaign=campaign, region_code="440100")
    bring_to("submitted", campaign=campaign, region_code="440300")
    bring_to("recommended", campaign=campaign, region_code="440400")
    bring_to("returned", campaign=campaign, region_code="440500")
    bring_to("submitted", campaign=campaign, region_code="330100")  # another province
    todo, n = queries(worklists.recommender_todo, recommender)
    row = next(r for r in todo.campaigns[0].categories if r.category_id == inclusion.pk)
    assert (todo.awaiting, row.awaiting, row.used, row.quota, row.left, todo.returned) == (2, 2, 1, 2, 1, 1)
    assert n == 6
    workflow.transition(case=first, name="recommend", by=recommender)
    row = next(r for r in worklists.recommender_todo(recommender).campaigns[0].categories if r.category_id == inclusion.pk)
    assert (row.awaiting, row.used, row.left) == (1, 2, 0)

    recommender.refresh_from_db()
    client.force_login(recommender)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "待推荐" in html and "2 / 2" in html and "已用完" in html
    assert reverse("nomination:rank", args=[campaign.pk, inclusion.pk]) in html


def test_reviewer_todo_shows_own_deadline_and_drafts_not_the_submission_deadline(client, campaign):
    campaign.review_deadline = datetime(2026, 12, 31, 18, 0, tzinfo=BEIJING)
    campaign.save()
    case = bring_to("in_review", campaign=campaign, region_code="440100")
    assignment = ReviewAssignment.objects.filter(case=case).first()
    reviewer = assignment.reviewer
    todos, n = queries(worklists.reviewer_todo, reviewer)
    assert [(t.pending, t.drafts) for t in todos] == [(1, 0)] and n == 2
    scores = {c.code: 10 for c in campaign.rubric.all()}
    save_review(assignment_id=assignment.pk, by=reviewer, scores=scores, comment="暂存", final=False)
    assert [(t.pending, t.drafts) for t in worklists.reviewer_todo(reviewer)] == [(0, 1)]

    client.force_login(reviewer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "已暂存未提交 1 个" in html and "评审截止 <strong>2026年12月31日 18:00</strong>（北京时间）" in html
    assert "申报截止" not in html
    save_review(assignment_id=assignment.pk, by=reviewer, scores=scores, comment="定稿", final=True)
    assert worklists.reviewer_todo(reviewer) == []


def test_secretariat_todo_per_campaign(client, campaign):
    campaign.reviewers_per_case = 2
    campaign.save()
    recommended = bring_to("recommended", campaign=campaign, region_code="440100")
    bring_to("eligible", campaign=campaign, region_code="440300")  # no reviewers yet
    bring_to("in_review", campaign=campaign, region_code="440400")
    noticed = bring_to("in_notice", campaign=campaign, region_code="440500")
    objection = Objection.objects.create(case=noticed, name="张三", phone="13900000000", email="z@example.cn", reason="不实")
    (todo,), n = queries(worklists.secretariat_todo, campaign)
    assert (todo.awaiting_check, todo.short_of_reviewers, todo.overdue_reviews, todo.open_objections) == (1, 1, 0, 1)
    assert (todo.notices_ending, todo.ready_to_publish) == (0, 0)
    assert n == 6  # the campaign is given: no campaign query
    _, n_all = queries(worklists.secretariat_todo)
    assert n_all == 7

    # The review deadline passes: the in-review case's two scores are overdue.
    campaign.review_deadline = timezone.now() - timedelta(hours=1)
    campaign.save()
    # The notice ends in two days: "ending soon"; ruling the objection changes nothing until it ends.
    type(noticed).objects.filter(pk=noticed.pk).update(notice_ends=timezone.now() + timedelta(days=2))
    workflow.transition(case=recommended, name="pass_check", by=factories.secretariat(username="secretariat-test"))
    (todo,) = worklists.secretariat_todo(campaign)
    assert (todo.awaiting_check, todo.short_of_reviewers, todo.overdue_reviews, todo.notices_ending) == (0, 2, 2, 1)
    # Notice over, objection dismissed: ready to publish.
    type(noticed).objects.filter(pk=noticed.pk).update(notice_ends=timezone.now() - timedelta(minutes=1))
    Objection.objects.filter(pk=objection.pk).update(outcome="dismissed")
    (todo,) = worklists.secretariat_todo(campaign)
    assert (todo.open_objections, todo.notices_ending, todo.ready_to_publish) == (0, 0, 1)

    client.force_login(factories.secretariat(username="secretariat-test"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "评审专家不足的案例：<strong>2</strong>" in html and "公示期满、可以发布：<strong>1</strong>" in html
    assert reverse("desk:assignments", args=[campaign.pk]) in html and reverse("desk:notice", args=[campaign.pk]) in html
    desk = client.get(reverse("desk:dashboard", args=[campaign.pk])).content.decode()
    assert "逾期未提交的评分：<strong>2</strong>" in desk
