"""Score sheet export, anonymised comments and reminders."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from cases import workflow
from cases.models import Campaign, ReviewAssignment
from cases.review.exports import score_sheet
from cases.review.feedback import anonymised_comments
from cases.review.reminders import send_reminders
from tests import factories
from tests.factories import CampaignFactory
from tests.workflow_paths import bring_to

pytestmark = pytest.mark.django_db


def test_score_sheet_matches_the_database():
    campaign = CampaignFactory(reviewers_per_case=2)
    case = bring_to("reviewed", campaign=campaign)
    wb = load_workbook(io.BytesIO(score_sheet(campaign=campaign, by=factories.secretariat())))
    rows = list(wb.active.iter_rows(values_only=True))
    header, data = rows[1], rows[2]
    assert header[:3] == ("排名", "案例编号", "案例名称") and "专家1·创新性" in header
    assert data[1] == case.pk and data[2] == case.title and data[7] == 2
    totals = sorted(ReviewAssignment.objects.filter(case=case).values_list("total", flat=True))
    assert data[header.index("平均分")] == sum(totals) / 2
    assert sorted([data[header.index("专家1总分")], data[header.index("专家2总分")]]) == totals
    with pytest.raises(workflow.Forbidden):
        score_sheet(campaign=campaign, by=ReviewAssignment.objects.first().reviewer)


def test_comments_go_back_anonymised_only_when_the_campaign_says_so():
    campaign = CampaignFactory(reviewers_per_case=2)
    case = bring_to("reviewed", campaign=campaign)
    submitter = case.created_by
    assert anonymised_comments(case=case, user=submitter) == []
    Campaign.objects.filter(pk=campaign.pk).update(share_comments_with_submitters=True)
    case.campaign.refresh_from_db()
    assert anonymised_comments(case=case, user=submitter) == ["做法扎实", "做法扎实"]
    assert anonymised_comments(case=case, user=factories.submitter("330100", username="other")) == []


def test_reminders_go_to_reviewers_with_unfinished_work():
    campaign = CampaignFactory(reviewers_per_case=2)
    case = bring_to("in_review", campaign=campaign)
    Campaign.objects.filter(pk=campaign.pk).update(review_deadline=timezone.now() + timedelta(days=2))
    for a in ReviewAssignment.objects.filter(case=case).select_related("reviewer"):
        a.reviewer.email = f"{a.reviewer.username}@example.cn"
        a.reviewer.save()
    mail.outbox.clear()
    assert send_reminders(within_days=3) == 2
    assert case.title in mail.outbox[0].body and "评审提醒" in mail.outbox[0].subject
    Campaign.objects.filter(pk=campaign.pk).update(review_deadline=timezone.now() + timedelta(days=10))
    assert send_reminders(within_days=3) == 0


def test_submitter_sees_anonymised_comments_on_the_case_page(client):
    campaign = CampaignFactory(reviewers_per_case=2, share_comments_with_submitters=True)
    case = bring_to("reviewed", campaign=campaign)
    client.force_login(case.created_by)
    from django.urls import reverse

    page = client.get(reverse("cases:inspect", args=[case.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "专家评审意见（匿名）" in body and "做法扎实" in body
    reviewer_names = [a.reviewer.username for a in ReviewAssignment.objects.filter(case=case).select_related("reviewer")]
    assert not any(name in body for name in reviewer_names)
