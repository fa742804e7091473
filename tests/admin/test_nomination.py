"""推荐排序 (recommenders), the returned-case banner, withdrawal's reason and the 申报书 print link."""

import io
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse

from cases.models import Case
from tests import factories
from tests.factories import case_in

pytestmark = pytest.mark.django_db


def rank_url(campaign, category=None):
    category = category or campaign.categories.first()
    return reverse("nomination:rank", args=[campaign.pk, category.pk])


def test_ranking_page_lists_only_its_province(as_user, recommender, campaign):
    case_in("submitted", campaign=campaign, region_code="440300", title="深圳待推荐案例")
    case_in("recommended", campaign=campaign, region_code="440100", title="广州已推荐案例")
    case_in("submitted", campaign=campaign, region_code="320100", title="南京待推荐案例")
    case_in("draft", campaign=campaign, region_code="440100", title="广州草稿案例")
    client = as_user(recommender)
    index = client.get(reverse("nomination:index"))
    assert index.status_code == 200
    assert campaign.title in index.content.decode()
    html = client.get(rank_url(campaign)).content.decode()
    assert "深圳待推荐案例" in html and "广州已推荐案例" in html
    assert "南京待推荐案例" not in html and "广州草稿案例" not in html
    assert "已推荐 1 个，名额 50 个" in html


def test_only_recommenders_reach_the_nomination_pages(client, campaign):
    for user in (factories.submitter(username="n-sub"), factories.secretariat(username="n-sec"),
                 factories.reviewer(username="n-rev")):
        client.force_login(user)
        assert client.get(reverse("nomination:index")).status_code == 404
        assert client.get(rank_url(campaign)).status_code == 404
        assert client.get(reverse("nomination:sheet", args=[campaign.pk])).status_code == 404
        assert '"name": "nomination"' not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(factories.recommender(username="n-rec"))
    assert '"name": "nomination"' in client.get(reverse("wagtailadmin_home")).content.decode()


def test_recommend_with_a_rank_through_the_page(as_user, recommender, campaign):
    first = case_in("submitted", campaign=campaign, region_code="440100", title="甲案例")
    second = case_in("submitted", campaign=campaign, region_code="440300", title="乙案例")
    client = as_user(recommender)
    url = rank_url(campaign)
    response = client.post(url, {"operation": "recommend", "case": first.pk, "rank": "1"}, follow=True)
    assert "已推荐“甲案例”，推荐排序第 1 位" in response.content.decode()
    # The second one goes in at the top: the first moves down.
    client.post(url, {"operation": "recommend", "case": second.pk, "rank": "1"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.nomination_rank) == ("recommended", 2)
    assert (second.status, second.nomination_rank) == ("recommended", 1)


def test_recommend_refusals_are_messages(as_user, recommender, campaign):
    campaign.default_quota = 1
    campaign.save()
    case_in("recommended", campaign=campaign, region_code="440100", title="已占名额")
    waiting = case_in("submitted", campaign=campaign, region_code="440300", title="等待推荐")
    client = as_user(recommender)
    html = client.get(rank_url(campaign)).content.decode()
    assert "名额已用完" in html
    response = client.post(rank_url(campaign), {"operation": "recommend", "case": waiting.pk, "rank": "1"}, follow=True)
    assert "推荐名额（1）已用完" in response.content.decode()
    assert Case.objects.get(pk=waiting.pk).status == "submitted"
    # Another province's case is not there for this recommender.
    other = case_in("submitted", campaign=campaign, region_code="320100")
    assert client.post(rank_url(campaign), {"operation": "recommend", "case": other.pk}).status_code == 404


def test_reorder_by_moving_and_by_typing(as_user, recommender, campaign):
    a = case_in("recommended", campaign=campaign, region_code="440100", title="甲")
    b = case_in("recommended", campaign=campaign, region_code="440300", title="乙")
    c = case_in("recommended", campaign=campaign, region_code="440100", title="丙")
    client = as_user(recommender)
    url = rank_url(campaign)

    def ranks():
        return [Case.objects.get(pk=x.pk).nomination_rank for x in (a, b, c)]

    assert ranks() == [1, 2, 3]
    response = client.post(url, {"operation": "order", "move": f"{c.pk}:up"}, follow=True)
    assert "推荐排序已更新" in response.content.decode()
    assert ranks() == [1, 3, 2]
    client.post(url, {"operation": "order", f"order-{a.pk}": "3", f"order-{b.pk}": "1", f"order-{c.pk}": "2"})
    assert ranks() == [3, 1, 2]
    response = client.post(url, {"operation": "order", f"order-{a.pk}": "x"}, follow=True)
    assert "排序须填写正整数" in response.content.decode()
    assert ranks() == [3, 1, 2]


def test_return_and_decline_go_through_the_confirm_page_and_back(as_user, recommender, campaign):
    case = case_in("submitted", campaign=campaign, region_code="440100", title="待退回")
    client = as_user(recommender)
    url = rank_url(campaign)
    back = reverse("cases:transition", args=[case.pk, "return_for_revision"]) + "?next=" + quote(url)
    assert back in client.get(url).content.decode().replace("&amp;", "&")
    page = client.get(back)
    assert page.status_code == 200 and f'name="next" value="{url}"' in page.content.decode()
    response = client.post(back, {"reason": "请补充成效数据", "expected_status": "submitted", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert Case.objects.get(pk=case.pk).status == "returned"
    # An off-site next is ignored.
    other = case_in("submitted", campaign=campaign, region_code="440300")
    response = client.post(
        reverse("cases:transition", args=[other.pk, "decline"]),
        {"reason": "不符合征集方向", "expected_status": "submitted", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("cases:inspect", args=[other.pk])


def test_nomination_sheet_downloads_as_xlsx_with_a_chinese_filename(as_user, recommender, campaign):
    case_in("recommended", campaign=campaign, region_code="440100", title="汇总表里的案例")
    response = as_user(recommender).get(reverse("nomination:sheet", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('广东省推荐汇总表')}" in disposition
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row]
    assert "汇总表里的案例" in values and "推荐排序" in values


def test_returned_case_shows_the_reason_on_inspect_and_edit(as_user, campaign):
    from accounts.models import User

    case = case_in("returned", campaign=campaign, region_code="440100")
    # Who returned it reads as the organisation, not the account name (issue 16).
    User.objects.filter(username="rec-440000").update(organisation="广东省委网信办")
    submitter = factories.submitter("440100", username="sub-440100")
    client = as_user(submitter)
    for url in (reverse("cases:inspect", args=[case.pk]), reverse("cases:edit", args=[case.pk])):
        html = client.get(url).content.decode()
        assert "退回修改：" in html and "请补充成效数据" in html
        assert 'role="alert"' in html and "广东省委网信办" in html and "rec-440000" not in html
    # A case that is not returned has no banner.
    submitted = case_in("submitted", campaign=campaign, region_code="440100")
    assert "退回修改：" not in client.get(reverse("cases:inspect", args=[submitted.pk])).content.decode()


def test_withdraw_asks_for_a_reason(as_user, campaign):
    case = case_in("submitted", campaign=campaign, region_code="440100")
    client = as_user(factories.submitter("440100", username="sub-440100"))
    url = reverse("cases:transition", args=[case.pk, "withdraw"])
    page = client.get(url).content.decode()
    assert 'name="reason"' in page and "required" in page
    response = client.post(url, {"reason": "", "expected_status": "submitted"})
    assert "请填写理由" in response.content.decode()
    client.post(url, {"reason": "单位调整", "expected_status": "submitted"})
    case.refresh_from_db()
    assert case.status == "withdrawn" and case.history.last().reason == "单位调整"


def test_print_link_only_where_the_application_may_be_printed(as_user, campaign):
    submitted = case_in("submitted", campaign=campaign, region_code="440100")
    draft = case_in("draft", campaign=campaign, region_code="440100")
    client = as_user(factories.submitter("440100", username="sub-440100"))
    pdf_url = reverse("case_files:application", args=[submitted.pk])
    assert "打印申报书" in client.get(reverse("cases:inspect", args=[submitted.pk])).content.decode()
    assert pdf_url in client.get(reverse("cases:inspect", args=[submitted.pk])).content.decode()
    assert "打印申报书" not in client.get(reverse("cases:inspect", args=[draft.pk])).content.decode()
    published = case_in("published", campaign=campaign, region_code="320100")
    other = as_user(factories.submitter("440100", username="sub-440100"))
    assert "打印申报书" not in other.get(reverse("cases:inspect", args=[published.pk])).content.decode()
