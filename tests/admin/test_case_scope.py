"""Lists and object pages are scoped by cases.permissions; invisible cases are 404s."""

import pytest
from django.urls import reverse

from tests import factories
from tests.factories import case_in

pytestmark = pytest.mark.django_db


def test_submitter_lists_own_region_only_and_gets_404_for_others(as_user, submitter, campaign):
    mine = case_in("draft", campaign=campaign, region_code="440100", title="广州的案例")
    theirs = case_in("submitted", campaign=campaign, region_code="110000", title="北京的案例")
    client = as_user(submitter)
    html = client.get(reverse("cases:index")).content.decode()
    assert "广州的案例" in html and "北京的案例" not in html
    assert "广东省广州市" in html  # region full name
    assert "cb-status--draft" in html  # coloured status tag
    for name in ("edit", "inspect", "files"):
        assert client.get(reverse(f"cases:{name}", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("cases:transition", args=[theirs.pk, "withdraw"])).status_code == 404
    assert client.post(reverse("cases:transition", args=[theirs.pk, "withdraw"]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("cases:edit", args=[mine.pk])).status_code == 200


def test_recommender_lists_province_submitted_cases_and_no_drafts(as_user, recommender, campaign):
    case_in("draft", campaign=campaign, region_code="440100", title="广州草稿")
    case_in("submitted", campaign=campaign, region_code="440300", title="深圳已提交")
    case_in("submitted", campaign=campaign, region_code="110000", title="北京已提交")
    client = as_user(recommender)
    html = client.get(reverse("cases:index")).content.decode()
    assert "深圳已提交" in html
    assert "广州草稿" not in html and "北京已提交" not in html
    draft = factories.Case.objects.get(title="广州草稿")
    assert client.get(reverse("cases:inspect", args=[draft.pk])).status_code == 404
    # Visible but not editable: the edit URL sends them to the detail page.
    submitted = factories.Case.objects.get(title="深圳已提交")
    response = client.get(reverse("cases:edit", args=[submitted.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("cases:inspect", args=[submitted.pk])


def test_secretariat_sees_all_and_filters(as_user, secretariat, campaign):
    case_in("draft", campaign=campaign, region_code="440100", title="广州草稿")
    case_in("submitted", campaign=campaign, region_code="110000", title="北京已提交")
    client = as_user(secretariat)
    html = client.get(reverse("cases:index")).content.decode()
    assert "广州草稿" in html and "北京已提交" in html
    html = client.get(reverse("cases:index"), {"status": "submitted"}).content.decode()
    assert "北京已提交" in html and "广州草稿" not in html
    html = client.get(reverse("cases:index"), {"q": "北京"}).content.decode()
    assert "北京已提交" in html and "广州草稿" not in html
    other = factories.CampaignFactory()
    html = client.get(reverse("cases:index"), {"campaign": other.pk}).content.decode()
    assert "北京已提交" not in html


def test_inspect_shows_detail_actions_and_history(as_user, campaign):
    case = case_in("submitted", campaign=campaign, region_code="440300")
    recommender = factories.recommender("440000", username="rec-gd2")
    html = as_user(recommender).get(reverse("cases:inspect", args=[case.pk])).content.decode()
    assert "流转记录" in html and "创建草稿" in html and "提交" in html
    assert reverse("cases:transition", args=[case.pk, "recommend"]) in html
    assert reverse("cases:transition", args=[case.pk, "decline"]) in html
    assert "王芳" in html  # contacts: the province's recommender may see them
    assert reverse("case_files:image", args=[case.images.first().pk, "fill-320x180"]) in html


def test_reviewer_sees_no_cases(as_user, campaign):
    case = case_in("submitted", campaign=campaign)
    reviewer = factories.reviewer()
    client = as_user(reviewer)
    assert client.get(reverse("cases:index")).status_code == 200
    assert client.get(reverse("cases:inspect", args=[case.pk])).status_code == 404
