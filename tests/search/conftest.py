"""Search test data: a small Chinese corpus of published cases, built through the workflow.

Published cases enter by `workflow.import_published` into a finished campaign (the fastest
path through the real workflow); unpublished ones by `create_draft` and `bring_to`.
Indexing runs on commit, so data is created inside `django_capture_on_commit_callbacks`.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cases import workflow
from cases.models import Case
from cases.states import CampaignStatus
from search import service
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
ES_URL = os.environ.get("ELASTICSEARCH_URL", "")
ES_SKIP = "set ELASTICSEARCH_URL to run the Elasticsearch suite (no cluster on this machine)"
LONG_BODY = "各地坚持需求导向，组织志愿者结对帮扶，编写通俗教材，开展线上线下相结合的培训。"

# title, region, scenarios, task, groups, campaign key, tier code, published day, extra fields
CORPUS = [
    ("运用智能技术服务老年人示范案例", "440100", ["life", "learning"], "life", ["elderly"], "c2025", "exemplary", 1,
     {"summary": "社区学校开设智能手机课堂，帮助老年人跨越数字鸿沟。", "approach": "一是建立银龄数字课堂；二是志愿者上门教老人用智能手机。"}),
    ("数字乡村：让手机成为农民的新农具", "330100", ["work"], "work", ["farmers"], "c2025", "excellent", 2,
     {"summary": "面向农民开展手机应用技能和直播电商培训，带动农产品网络销售。", "approach": "组织农民手机应用技能培训，培育乡村电商主播。"}),
    ("退役军人数字技能培训基地", "510100", ["work"], "work", ["veterans"], "c2025", "excellent", 3,
     {"summary": "面向退役军人开展电商运营和数据标注培训，帮助实现再就业。"}),
    ("政务服务应用完成适老化改造", "440300", ["life"], "life", ["elderly", "disabled"], "c2025", "exemplary", 4,
     {"summary": "推动政务服务网站和应用适老化改造，推出长辈版界面。", "approach": "保留线下人工服务，方便老年人办事。"}),
    ("中小学生人工智能教育进课堂", "420100", ["learning", "innovation"], "learning", ["students", "teachers"], "c2024",
     "exemplary", 5, {"summary": "构建覆盖小学到高中的人工智能课程体系。"}),
    ("<script>alert(1)</script>反诈宣传进社区", "440100", ["life"], "security", ["public"], "c2024", "", 6,
     {"summary": "以案说法讲清<b>诈骗</b>套路，提升居民防骗意识。", "background": LONG_BODY}),
]


@dataclass
class Corpus:
    cases: dict[str, Case]
    campaigns: dict[str, object]
    draft: Case | None = None

    def id(self, title_start: str) -> int:
        return next(c.pk for t, c in self.cases.items() if t.startswith(title_start))

    def ids(self, *title_starts: str) -> set[int]:
        return {self.id(t) for t in title_starts}


def finished_campaign(slug: str, year: int):
    return factories.CampaignFactory(slug=slug, year=year, status=CampaignStatus.FINISHED)


def import_case(campaign, *, title: str, region: str, day: int, tier: str = "", **fields) -> Case:
    staff = factories.secretariat(username="search-secretariat")
    return workflow.import_published(
        by=staff, campaign=campaign, source="测试导入", title=title, region=factories.region(region),
        published_at=datetime(2025, 12, day, 10, 0, tzinfo=SHANGHAI),
        tier=campaign.tiers.get(code=tier) if tier else None, **fields,
    )


def build_corpus(capture) -> Corpus:
    campaigns = {"c2025": finished_campaign("c2025", 2025), "c2024": finished_campaign("c2024", 2024)}
    cases = {}
    with capture(execute=True):
        for title, region, scenarios, task, groups, key, tier, day, extra in CORPUS:
            cases[title] = import_case(
                campaigns[key], title=title, region=region, day=day, tier=tier,
                scenarios=scenarios, task_area=task, key_groups=groups, **extra,
            )
    return Corpus(cases=cases, campaigns=campaigns)


@pytest.fixture(autouse=True)
def _no_elasticsearch_unless_asked(settings):
    """Tests use the database backend unless they configure Elasticsearch themselves."""
    from django.core.cache import cache

    from search import health
    from search.backends import es_index

    settings.ELASTICSEARCH_URL = ""
    settings.SEARCH_ES_INDEX = f"casebook-test-{uuid.uuid4().hex[:8]}"
    service.breaker.reset()
    health.reset_log_throttle()
    es_index.forget()
    cache.clear()
    yield
    service.breaker.reset()
    es_index.forget()


@pytest.fixture(params=["database", "elasticsearch"])
def backend_name(request, settings):
    """The contract suite runs against every available backend."""
    if request.param == "elasticsearch":
        if not ES_URL:
            pytest.skip(ES_SKIP)
        settings.ELASTICSEARCH_URL = ES_URL
        alias = settings.SEARCH_ES_INDEX
        request.addfinalizer(lambda: _drop_test_indexes(alias))
    return request.param


def _drop_test_indexes(alias: str) -> None:
    """By exact name: a default cluster refuses wildcard deletes (destructive_requires_name)."""
    from search.backends import es_index
    from search.backends.es_client import client

    es = client(ES_URL)
    found = es.indices.get_alias(index=f"{alias}-*", allow_no_indices=True).body
    es_index.drop(es, sorted(found))


@pytest.fixture
def corpus(db, backend_name, django_capture_on_commit_callbacks) -> Corpus:
    built = build_corpus(django_capture_on_commit_callbacks)
    if backend_name == "elasticsearch":
        from search.maintenance import reindex

        reindex("elasticsearch")  # an index answers only after a completed build
    return built


@pytest.fixture(autouse=True)
def _drop_live_indexes(settings, _no_elasticsearch_unless_asked):
    """Whatever a live test built under its alias goes, by exact name."""
    alias = settings.SEARCH_ES_INDEX
    yield
    if ES_URL:
        _drop_test_indexes(alias)


@pytest.fixture
def db_corpus(db, django_capture_on_commit_callbacks) -> Corpus:
    """The corpus for tests that are about the database backend only."""
    return build_corpus(django_capture_on_commit_callbacks)


@pytest.fixture
def stand_in():
    """A recording Elasticsearch stand-in over HTTP (tests/security/es_stand_in.py)."""
    from tests.security import es_stand_in

    with es_stand_in.running() as server:
        yield server


@pytest.fixture
def es_on(settings, stand_in):
    """Elasticsearch configured and pointing at the stand-in."""
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{stand_in.server_port}"
    return stand_in
