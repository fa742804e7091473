"""docs/domain.md §3 on the site: only published cases anywhere public; cases in notice on the notice pages only."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

HIDDEN_STATES = ["draft", "submitted", "returned", "withdrawn", "recommended", "eligible", "in_review",
                 "reviewed", "shortlisted", "not_selected", "disqualified"]


def _public_pages(campaign) -> list[str]:
    return ["/", "/cases/", "/cases/?q=案例", f"/campaigns/{campaign.slug}/", "/campaigns/", "/notices/"]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_unpublished_cases_appear_nowhere(client, make_case, campaign, state):
    make_case("published", title="公开的案例")
    hidden = make_case(state, region_code="330100", title=f"不应公开的{state}案例")

    for url in _public_pages(campaign):
        html = client.get(url).content.decode()
        assert "不应公开" not in html, url
    assert client.get(f"/cases/{hidden.pk}/").status_code == 404
    assert client.get(f"/notices/{hidden.pk}/").status_code == 404


def test_case_in_notice_only_on_the_notice_pages(client, make_case, campaign):
    make_case("published", title="公开的案例")
    noticed = make_case("in_notice", region_code="330100", title="公示中的杭州案例")

    for url in ["/", "/cases/", "/cases/?q=杭州", f"/campaigns/{campaign.slug}/", "/campaigns/"]:
        assert noticed.title not in client.get(url).content.decode(), url
    assert client.get(f"/cases/{noticed.pk}/").status_code == 404
    assert noticed.title in client.get("/notices/").content.decode()
    detail = client.get(f"/notices/{noticed.pk}/")
    assert detail.status_code == 200 and noticed.title in detail.content.decode()


def test_published_case_is_not_a_notice_page(client, make_case):
    published = make_case("published")
    assert client.get(f"/notices/{published.pk}/").status_code == 404
    assert published.title not in client.get("/notices/").content.decode()


def test_revoked_case_leaves_every_page(client, make_case, campaign):
    from django.test import TestCase

    from cases import workflow
    from tests.factories import secretariat

    case = make_case("published", title="将被撤销的案例")
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):
        workflow.transition(case=case, name="revoke", by=secretariat(username="sec"), reason="发现数据造假")
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    for url in _public_pages(campaign):
        assert "将被撤销的案例" not in client.get(url).content.decode(), url


def test_no_contact_details_on_public_pages(client, make_case):
    published = make_case("published", contact_name="王芳芳", contact_phone="13712345678",
                          contact_email="wangfang@example.cn")
    noticed = make_case("in_notice", region_code="330100", contact_name="李小明", contact_phone="13900139000",
                        contact_email="lixiaoming@example.cn")
    for url in (f"/cases/{published.pk}/", f"/notices/{noticed.pk}/", "/cases/", "/notices/", "/"):
        html = client.get(url).content.decode()
        for secret in ("王芳芳", "13712345678", "wangfang@example.cn", "李小明", "13900139000", "lixiaoming@"):
            assert secret not in html, (url, secret)


def test_recommendation_letter_and_private_attachments_are_never_listed(client, make_case):
    from cases.models import CaseAttachment
    from cases.models.cases import AttachmentKind

    case = make_case("published")
    public = case.attachments.get()
    document = public.document
    CaseAttachment.objects.create(case=case, document=document, title="盖章推荐函", kind=AttachmentKind.RECOMMENDATION_LETTER)
    CaseAttachment.objects.create(case=case, document=document, title="内部台账", public=False)

    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert public.title in html
    assert "盖章推荐函" not in html and "内部台账" not in html
