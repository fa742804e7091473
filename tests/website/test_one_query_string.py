"""One query string, one search: the library, /cases.csv, the feed and the API read it with the
same parser (search.params) and so list the same cases in the same order (issue 15, part 3)."""

from __future__ import annotations

import csv
import io
import re
from xml.etree import ElementTree

import pytest

from tests.website.conftest import REGIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(make_case):
    made = []
    topics = [
        ("老年人智能手机课堂", ["life"], ["elderly"]),
        ("乡村数字技能培训", ["work"], ["farmers"]),
        ("社区老年人数字助老驿站", ["life"], ["elderly", "disabled"]),
        ("农民直播带货培训", ["work", "life"], ["farmers"]),
        ("老年大学开设手机课", ["learning"], ["elderly"]),
    ]
    for i, (title, scenarios, groups) in enumerate(topics):
        made.append(make_case("published", region_code=REGIONS[i % 3], title=title,
                              scenarios=scenarios, key_groups=groups))
    return made


def library_ids(client, qs: str) -> list[int]:
    html = client.get(f"/cases/?{qs}").content.decode()
    return [int(i) for i in re.findall(r'<article aria-labelledby="r-(\d+)">', html)]


def csv_ids(client, qs: str) -> list[int]:
    response = client.get(f"/cases.csv?{qs}")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return [int(r[0]) for r in rows[1:]]


def feed_ids(client, qs: str) -> list[int]:
    root = ElementTree.fromstring(client.get(f"/feeds/cases.xml?{qs}").content)  # noqa: S314 (our own response)
    return [int(re.search(r"/cases/(\d+)/", i.findtext("link")).group(1)) for i in root.iter("item")]


def api_ids(client, qs: str) -> list[int]:
    return [r["id"] for r in client.get(f"/api/v1/cases?{qs}").json()["results"]]


QUERY_STRINGS = [
    "q=老年人&sort=relevance",
    "q=老年人&sort=newest",
    "q=培训&province=440000,330000&sort=relevance",
    "group=elderly&group=farmers&sort=newest",
    "scenario=life,work&group=elderly&sort=relevance",
    "q=手机 老年人&scenario=life&scenario=learning&sort=relevance",
    "q=数字&year=2025,2026&sort=relevance",
]
BAD = [
    ("year=20x5", "year", "年度必须是四位数字，如 2025。"),
    ("sort=random", "sort", "排序方式只能是"),
    ("q=" + "长" * 201, "q", "检索词不能超过 200 个字"),
    ("province=999999", "province", "未知的省份"),
]


def test_one_query_string_gives_the_same_cases_everywhere(client, shelf):
    for qs in QUERY_STRINGS:
        expected = library_ids(client, qs)
        assert expected, qs  # each query finds something, so the comparison means something
        assert csv_ids(client, qs) == expected, qs
        assert feed_ids(client, qs) == expected, qs
        assert api_ids(client, qs) == expected, qs


def test_bad_input_gets_the_same_message_everywhere(client, shelf):
    for qs, field, message in BAD:
        for url in (f"/cases/?{qs}", f"/cases.csv?{qs}", f"/feeds/cases.xml?{qs}"):
            response = client.get(url)
            assert response.status_code == 400, url
            assert message in response.content.decode(), url
        response = client.get(f"/api/v1/cases?{qs}")
        assert response.status_code == 400, qs
        assert message in response.json()["errors"][field][0], qs


def test_the_feed_without_a_query_string_is_still_the_newest_cases(client, shelf):
    assert feed_ids(client, "") == sorted((c.pk for c in shelf), reverse=True)
