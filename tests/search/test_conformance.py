"""`manage.py search_conformance` end to end against the recording stand-in, and its reference:
the expected hits it checks a cluster against are the database backend's own answers."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from search.backends.database import DatabaseBackend
from search.backends.db_query import matching_ids
from search.conformance import SAMPLE, TEXT_QUERIES, expected_ids, sample_texts
from search.segment import analyse

from .conftest import finished_campaign, import_case

pytestmark = pytest.mark.django_db


def test_the_expected_hits_are_the_database_backends(db, django_capture_on_commit_callbacks):
    """The sample's texts in the database backend's own index, matched by its own SQL."""
    campaign = finished_campaign("c-conformance", 2025)
    with django_capture_on_commit_callbacks(execute=False):  # cases to hang the sample's texts on
        cases = [import_case(campaign, title=f"样例{i}", region="440100", day=i) for i in range(1, len(SAMPLE) + 1)]
    texts = sample_texts([c.pk for c in cases])
    DatabaseBackend().index_texts(texts)
    for _label, q in TEXT_QUERIES:
        assert set(matching_ids(analyse(q))) == expected_ids(q, texts), q


def test_the_command_proves_a_cluster_and_deletes_by_exact_name(es_on, settings):
    out = StringIO()
    with pytest.raises(CommandError, match="未通过"):
        call_command("search_conformance", "--repeat", "1", stdout=out, stderr=out)
    report = out.getvalue()
    # The stand-in matches the whole text as a substring (no analysis): the shapes that need a
    # real analyzer fail there, and the report says which; every other shape passes.
    failed = [line for line in report.splitlines() if line.strip().startswith("✗")]
    assert [line.split(" · ")[1] for line in failed] == ["two runs: 农民 手机", "sentence: 怎样帮助老人学会用智能手机"], report
    for shape in ("浏览 browse", "筛选 filters", "分面计数 facets", "输入提示 suggest · 2025", "输入提示 suggest · 5G",
                  "相关案例 related", "文本检索 text · Latin + Chinese: IT培训"):
        assert f"✓ {shape}" in report, shape
    assert "临时索引已删除 temporary index deleted：是 yes" in report
    deletes = [r["path"] for r in es_on.state["requests"] if r["method"] == "DELETE" and "conformance" in r["path"]]
    assert len(deletes) == 1 and "*" not in deletes[0]
    assert es_on.state["indexes"] == {}


def test_bad_settings_stop_the_command(settings):
    settings.ELASTICSEARCH_URL = "http://es"
    with pytest.raises(CommandError, match="须写明端口"):
        call_command("search_conformance", stdout=StringIO())
