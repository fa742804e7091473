"""The shipped GB/T 2260 data (2023 MCA list) is complete and well-formed."""

import re
from collections import Counter

import pytest

from cases.models import Region
from regions.loading import COUNTIES_CSV, load_regions, read_rows

pytestmark = pytest.mark.django_db


def test_34_provincial_level_divisions():
    provinces = Region.objects.filter(level="province")
    assert provinces.count() == 34
    kinds = Counter(provinces.values_list("kind", flat=True))
    assert kinds == {"province": 23, "autonomous_region": 5, "municipality": 4, "sar": 2}
    assert all(code.endswith("0000") for code in provinces.values_list("code", flat=True))


def test_333_prefecture_level_divisions_with_official_breakdown():
    prefectures = Region.objects.filter(level="prefecture").exclude(kind="grouping")
    assert prefectures.count() == 333
    kinds = Counter(prefectures.values_list("kind", flat=True))
    assert kinds == {"city": 293, "prefecture": 7, "autonomous_prefecture": 30, "league": 3}


def test_grouping_codes_are_kept_and_marked():
    groupings = {r.code: r for r in Region.objects.filter(kind="grouping")}
    assert {"110100", "120100", "310100", "500100", "500200", "419000", "429000", "469000", "659000"} == set(groupings)
    assert groupings["110100"].is_grouping
    assert groupings["419000"].name == "省直辖县级行政区划"


def test_codes_valid_and_parents_right():
    for region in Region.objects.select_related("parent"):
        assert re.fullmatch(r"[1-8]\d{5}", region.code), region.code
        if region.level == "province":
            assert region.parent_id is None and region.province_id == region.code
        else:
            assert region.parent.level == "province"
            assert region.code[:2] == region.parent_id[:2]
            assert region.code[4:] == "00" and region.code[2:4] != "00"
            assert region.province_id == region.parent_id


@pytest.mark.parametrize(
    "code,name,parent",
    [
        ("440000", "广东省", None), ("440100", "广州市", "440000"), ("652900", "阿克苏地区", "650000"),
        ("152200", "兴安盟", "150000"), ("460400", "儋州市", "460000"), ("652300", "昌吉回族自治州", "650000"),
        ("810000", "香港特别行政区", None), ("710000", "台湾省", None), ("630200", "海东市", "630000"),
    ],
)
def test_known_regions(code, name, parent):
    region = Region.objects.get(code=code)
    assert region.name == name and region.parent_id == parent


def test_loading_again_changes_nothing_and_counties_are_optional():
    before = list(Region.objects.order_by("code").values())
    load_regions(Region)
    assert list(Region.objects.order_by("code").values()) == before
    load_regions(Region, counties=True)
    assert Region.objects.filter(level="county").count() == len(read_rows(COUNTIES_CSV)) == 2844
    county = Region.objects.get(code="440103")  # 荔湾区
    assert county.parent_id == "440100" and county.province_id == "440000" and county.prefecture_id == "440100"
