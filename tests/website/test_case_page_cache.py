"""The visitor-independent part of a case page is rendered once and cached (website/case_page.py):
a repeat view is a few small queries, and every change that could alter the page shows at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Campaign, Case, CaseImage
from cases.states import CaseStatus
from tests import factories
from tests.website.conftest import add_adoptions, add_images

pytestmark = pytest.mark.django_db


def page(client, case, **headers) -> str:
    response = client.get(f"/cases/{case.pk}/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_repeat_view_is_the_same_page_from_a_few_small_queries(client, make_case):
    case = make_case("published", title="银龄数字课堂进社区")
    add_images(case, 2)
    add_adoptions(case, ["330100"])
    first = page(client, case)
    with CaptureQueriesContext(connection) as ctx:
        again = page(client, case)
    assert again == first
    assert len(ctx) <= 3, [q["sql"][:80] for q in ctx]  # the case (still published?) and the cache
    assert "银龄数字课堂进社区" in again and "330100借鉴了" in again


@pytest.mark.parametrize("change", ["title", "adoption", "image removed", "campaign title", "tier title"])
def test_every_change_to_what_the_page_shows_shows_at_once(client, make_case, change):
    case = make_case("published", title="银龄数字课堂进社区")
    (image,) = add_images(case, 1)
    page(client, case)
    if change == "title":
        case.title = "银龄数字课堂进社区（更正）"
        case.save()
        expected = '<h1 id="case-title">银龄数字课堂进社区（更正）</h1>'
    elif change == "adoption":
        add_adoptions(case, ["510100"])
        expected = "510100借鉴了"
    elif change == "image removed":
        CaseImage.objects.filter(pk=image.pk).delete()
        expected = None
    elif change == "campaign title":
        campaign = Campaign.objects.get(pk=case.campaign_id)
        campaign.title = "2024年典型案例征集（更名）"
        campaign.save()
        expected = "2024年典型案例征集（更名）"
    else:
        tier = case.tier
        tier.title = "示范案例（更名）"
        tier.save()
        expected = "示范案例（更名）"
    html = page(client, case)
    if expected is None:
        assert "第1张现场照片" not in html
    else:
        assert expected in html


def test_a_case_no_longer_published_is_gone_even_with_its_page_cached(client, make_case):
    case = make_case("published")
    page(client, case)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.WITHDRAWN)  # not even a signal
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_the_per_visitor_part_is_per_visitor(client, make_case):
    case = make_case("published", region_code="440100")
    anonymous = page(client, case)
    assert "登录后报告借鉴情况" in anonymous and "csrfmiddlewaretoken" not in anonymous
    client.force_login(factories.submitter("330100", username="hz-cache"))
    signed_in = page(client, case)
    assert "csrfmiddlewaretoken" in signed_in and "提交借鉴报告" in signed_in
    assert "登录后报告借鉴情况" not in signed_in
    client.logout()
    assert "csrfmiddlewaretoken" not in page(client, case)


def test_absolute_urls_follow_the_host_asked_for(client, make_case, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.cn"]
    case = make_case("published")
    assert 'href="http://testserver/cases/' in page(client, case)
    other = page(client, case, HTTP_HOST="mirror.example.cn")
    assert 'href="http://mirror.example.cn/cases/' in other and "testserver" not in other


def test_an_evicted_token_never_brings_back_a_page_from_before_an_edit(client, make_case):
    from django.core.cache import cache

    from website import case_page

    case = make_case("published", title="银龄数字课堂进社区")

    def evict() -> None:
        cache.delete_many([case_page._token_key(case.pk), case_page.GLOBAL_TOKEN])

    evict()
    assert '<h1 id="case-title">银龄数字课堂进社区</h1>' in page(client, case)  # cached under no token
    case.title = "银龄数字课堂进社区（更正）"
    case.save()
    evict()  # as a full cache might evict it
    assert '<h1 id="case-title">银龄数字课堂进社区（更正）</h1>' in page(client, case)
