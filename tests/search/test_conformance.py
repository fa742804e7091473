"""`manage.py search_conformance` end to end against the recording stand-in, and its reference:
the expected hits it checks a cluster against are the database backend's own answers."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from search import synonyms
from search.backends.database import DatabaseBackend
from search.backends.db_query import matching_ids
from search.conformance import SAMPLE, TEXT_QUERIES, expected, partial_order, sample_texts
from search.query import SearchQuery
from search.segment import analyse

from .conftest import finished_campaign, import_case

pytestmark = pytest.mark.django_db


def test_the_expected_answers_are_the_database_backends(db, django_capture_on_commit_callbacks):
    """The sample's texts in the database backend's own index, searched by the backend itself:
    the same cases, full matches first, the same missing words per hit and overall."""
    campaign = finished_campaign("c-conformance", 2025)
    with django_capture_on_commit_callbacks(execute=False):  # cases to hang the sample's texts on
        cases = [import_case(campaign, title=f"样例{i}", region="440100", day=i) for i in range(1, len(SAMPLE) + 1)]
    texts = sample_texts([c.pk for c in cases])
    backend = DatabaseBackend()
    backend.index_texts(texts)
    partial = 0
    for _label, q in TEXT_QUERIES:
        want = expected(q, texts)
        results = backend.search(SearchQuery(q=q, page_size=100))
        assert set(results.case_ids) == want.ids, q
        assert partial_order(results, want) == "", q
        assert set(matching_ids(analyse(q, synonyms.current()))) == want.full, q
        partial += len(want.ids - want.full)
    assert partial >= 3  # the sample has partial matches to check


def test_the_command_proves_a_cluster_and_deletes_by_exact_name(es_on, settings):
    out = StringIO()
    call_command("search_conformance", "--repeat", "1", stdout=out, stderr=out)
    report = out.getvalue()
    # The stand-in matches bigrams as the cjk analyzer does and applies the synonym set: every
    # shape passes, partial matches and the synonym of 培训 (case 7's 授课) included.
    assert "通过 passed：17/17" in report and "✗" not in report, report
    for shape in ("浏览 browse", "筛选 filters", "输入提示 suggest · 2025", "输入提示 suggest · 5G",
                  "相关案例 related", "文本检索 text · two runs: 农民 手机", "文本检索 text · sentence",
                  "文本检索 text · partial: most words", "文本检索 text · partial: any word"):
        assert f"✓ {shape}" in report, shape
    assert "临时索引已删除 temporary index deleted：是 yes" in report
    deletes = [r["path"] for r in es_on.state["requests"] if r["method"] == "DELETE" and "conformance" in r["path"]]
    assert len(deletes) == 1 and "*" not in deletes[0]
    assert es_on.state["indexes"] == {}


def test_a_cluster_that_ignores_the_synonym_set_fails_where_it_matters(es_on, settings):
    """A search analyzer without the synonyms: the shapes whose database answer comes through
    a synonym of 培训 fail, and the report says which."""
    es_on.state["ignore_synonyms"] = True
    out = StringIO()
    with pytest.raises(CommandError, match="未通过"):
        call_command("search_conformance", "--repeat", "1", stdout=out, stderr=out)
    failed = [line for line in out.getvalue().splitlines() if line.strip().startswith("✗")]
    assert [line.split(" · ")[1] for line in failed] == ["Latin + Chinese: IT培训", "培训 + year=2025"]
    assert "database rules: [2, 3, 5, 6, 7]" in failed[0] and "hits [2, 3, 5, 6]" in failed[0]


def test_bad_settings_stop_the_command(settings):
    settings.ELASTICSEARCH_URL = "http://es"
    with pytest.raises(CommandError, match="须写明端口"):
        call_command("search_conformance", stdout=StringIO())
