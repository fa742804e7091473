"""Campaigns and regions: public, draft campaigns hidden, filters validated."""

import pytest

from cases.models import Region
from cases.states import CampaignStatus
from tests.factories import CampaignFactory, secretariat, submitter

from .conftest import API, assert_chinese_error, sign_in

pytestmark = pytest.mark.django_db


def test_campaigns_are_public_and_hide_drafts(anon):
    open_one = CampaignFactory(status=CampaignStatus.OPEN, year=2026)
    finished = CampaignFactory(status=CampaignStatus.FINISHED, year=2024)
    draft = CampaignFactory(status=CampaignStatus.DRAFT, year=2027)
    body = anon.get(f"{API}/campaigns").json()
    assert body["count"] == 2
    assert [c["slug"] for c in body["results"]] == [open_one.slug, finished.slug]
    assert_chinese_error(anon.get(f"{API}/campaigns/{draft.slug}"), 404)
    assert sign_in(submitter("440100")).get(f"{API}/campaigns/{draft.slug}").status_code == 404

    staff = sign_in(secretariat(username="sec"))
    assert staff.get(f"{API}/campaigns").json()["count"] == 3
    assert staff.get(f"{API}/campaigns/{draft.slug}").json()["status"] == "draft"


def test_campaign_detail_shape(anon, campaign):
    body = anon.get(f"{API}/campaigns/{campaign.slug}").json()
    assert set(body) == {
        "slug", "title", "year", "status", "submission_opens", "submission_closes", "nomination_required",
        "categories", "tiers", "notice_days",
    }
    assert body["year"] == 2026 and body["status"] == "open" and body["notice_days"] == 7
    assert body["nomination_required"] is True
    assert body["submission_closes"].endswith("+08:00")
    assert body["categories"] == [{"code": "inclusion", "title": "数字包容与适老化"},
                                  {"code": "skills", "title": "数字技能培训"}]
    tier = campaign.tiers.get(code="exemplary")
    assert body["tiers"][0] == {"code": "exemplary", "title": "示范案例", "quota": tier.quota}


@pytest.mark.parametrize("slug", ["nope", "x" * 300])
def test_unknown_campaign_is_404(anon, slug):
    assert_chinese_error(anon.get(f"{API}/campaigns/{slug}"), 404)


def test_a_nul_in_the_path_is_400(anon):
    """Refused by the input guard (security/input_guard.py) before any view runs."""
    assert_chinese_error(anon.get(f"{API}/campaigns/a%00b"), 400)


def test_regions_ordered_by_code_with_envelope(anon):
    body = anon.get(f"{API}/regions", {"page_size": 100}).json()
    assert body["count"] == Region.objects.count() == 376
    codes = [r["code"] for r in body["results"]]
    assert codes == sorted(codes) and codes[0] == "110000"
    assert body["results"][0] == {"code": "110000", "name": "北京市", "level": "province", "parent": None}
    last = anon.get(f"{API}/regions", {"page_size": 100, "page": 4}).json()
    assert len(last["results"]) == 76


def test_regions_filter_by_level_and_parent(anon):
    provinces = anon.get(f"{API}/regions", {"level": "province", "page_size": 100}).json()
    assert provinces["count"] == 34
    gd = anon.get(f"{API}/regions", {"parent": "440000", "page_size": 100}).json()
    assert gd["count"] == 21
    assert {"code": "440100", "name": "广州市", "level": "prefecture", "parent": "440000"} in gd["results"]
    both = anon.get(f"{API}/regions", {"parent": "440000", "level": "county"}).json()
    assert both["count"] == 0


@pytest.mark.parametrize("params,field", [({"level": "city"}, "level"), ({"level": "County"}, "level"),
                                          ({"parent": "999999"}, "parent"), ({"parent": "44"}, "parent")])
def test_invalid_region_filters_are_400(anon, params, field):
    body = assert_chinese_error(anon.get(f"{API}/regions", params), 400)
    assert field in body["errors"]
