import pytest
from django.urls import reverse

from tests import factories
from tests.factories import case_in

pytestmark = pytest.mark.django_db

STAFF_MENU = ('"name": "images"', '"name": "documents"', '"name": "reports"', '"name": "settings"')


@pytest.mark.parametrize("role", ["submitter", "recommender", "reviewer", "secretariat"])
def test_every_role_signs_in_and_gets_a_dashboard(client, campaign, role):
    case_in("submitted", campaign=campaign, region_code="440100", title="仪表板案例")
    user = getattr(factories, role)(**({"username": f"{role}-dash"}))
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    expected = {
        "secretariat": ("待办事项", "各征集活动的案例"),
        "submitter": ("待办事项", "我的案例", "申报截止", "仪表板案例"),
        "recommender": ("待推荐", "本省案例", "申报截止", "仪表板案例"),
        "reviewer": ("待评分",),
    }[role]
    for text in expected:
        assert text in html, text
    if role == "reviewer":  # the submission deadline is not the reviewer's (issue 16)
        assert "申报截止" not in html


def test_menu_hides_wagtail_content_tools_for_regional_roles(client, campaign):
    submitter = factories.submitter(username="menu-sub")
    client.force_login(submitter)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "案例" in html
    for item in STAFF_MENU + ('"name": "explorer"',):
        assert item not in html
    assert '"name": "campaigns"' not in html


def test_menu_keeps_content_tools_for_secretariat(client, campaign):
    client.force_login(factories.secretariat(username="menu-sec"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '"name": "images"' in html and '"name": "campaigns"' in html and '"name": "accounts"' in html


def test_submitter_never_reaches_the_wagtail_image_or_document_library(client, campaign):
    from tests.workflow_paths import complete_draft

    complete_draft(campaign=campaign, region_code="440100")  # uploads an image and a document
    client.force_login(factories.submitter("440300", username="img-sub"))
    assert client.get(reverse("wagtailimages:index")).status_code == 302
    assert client.get(reverse("wagtaildocs:index")).status_code == 302
    # The choosers (never offered in our forms) list nothing for them either.
    assert "志愿者" not in client.get(reverse("wagtailimages_chooser:choose")).json()["html"]
    assert "培训台账" not in client.get(reverse("wagtaildocs_chooser:choose")).json()["html"]
