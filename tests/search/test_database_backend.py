"""The database backend's own promises: what it stores, and a query count that does not grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends.database import DatabaseBackend
from search.models import CaseFacet, CaseIndex, IndexTerm
from search.query import SearchQuery
from search.service import search_cases

from .conftest import import_case

pytestmark = pytest.mark.django_db


def test_published_cases_are_indexed_with_terms_and_facets(db_corpus):
    case = db_corpus.cases["运用智能技术服务老年人示范案例"]
    row = CaseIndex.objects.get(pk=case.pk)
    assert row.len_title > 0 and row.len_body > 0 and len(row.digest) == 64
    terms = dict(IndexTerm.objects.filter(case_id=case.pk).values_list("term", "title"))
    assert terms["老年"] == 1 and "老年人" in terms and "术服" in terms
    assert "老" in terms  # title unigram, for one-character queries
    facets = set(CaseFacet.objects.filter(case_id=case.pk).values_list("dimension", "value"))
    assert {("province", "440000"), ("group", "elderly"), ("year", "2025"), ("tier", "exemplary"),
            ("campaign", "c2025"), ("task", "life"), ("scenario", "learning")} <= facets


def test_region_organisation_and_labels_are_searchable(db_corpus):
    # "广州" and "数字学习" appear in no text: they come from the region and the scenario label.
    found = {h.case_id for h in search_cases(SearchQuery(q="广州 数字学习")).hits if not h.missing}
    assert found == {db_corpus.id("运用智能技术")}


def test_query_count_does_not_depend_on_page_size(db_corpus, django_capture_on_commit_callbacks):
    campaign = db_corpus.campaigns["c2025"]
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(12):
            import_case(campaign, title=f"社区老年人智能手机课堂第{i + 1}期", region="440100", day=10 + i % 10,
                        key_groups=["elderly"], scenarios=["life"], task_area="life")
    search_cases(SearchQuery(q="老年人"))  # the collection statistics are cached from here on
    counts = []
    for size in (1, 5, 50):
        for query in (SearchQuery(q="老年人", page_size=size), SearchQuery(page_size=size, group=("elderly",))):
            with CaptureQueriesContext(connection) as ctx:
                results = search_cases(query)
            assert len(results.hits) == min(size, results.total)
            counts.append((query.q, len(ctx)))
    by_query = {}
    for q, n in counts:
        by_query.setdefault(q, set()).add(n)
    assert all(len(ns) == 1 for ns in by_query.values()), counts
    assert max(n for _q, n in counts) <= 10


def test_reindexing_replaces_rows_and_drops_unpublished(db_corpus):
    backend = DatabaseBackend()
    case = db_corpus.cases["数字乡村：让手机成为农民的新农具"]
    before = IndexTerm.objects.filter(case_id=case.pk).count()
    backend.index_cases([case])
    assert IndexTerm.objects.filter(case_id=case.pk).count() == before
    backend.remove_cases([case.pk])
    assert not CaseIndex.objects.filter(pk=case.pk).exists()
    assert not IndexTerm.objects.filter(case_id=case.pk).exists()
    from search.extract import searchable_cases

    assert backend.rebuild(searchable_cases(), 6) == 6
    assert backend.indexed_ids() == {c.pk for c in db_corpus.cases.values()}


def test_collection_statistics_are_cached_until_the_index_is_written(db_corpus, django_capture_on_commit_callbacks):
    from search.backends.database import _collection_stats

    before = _collection_stats()["n"]
    with CaptureQueriesContext(connection) as ctx:
        assert _collection_stats()["n"] == before
    assert len(ctx) == 0
    with django_capture_on_commit_callbacks(execute=True):
        import_case(db_corpus.campaigns["c2025"], title="新开的银龄课堂", region="440100", day=20)
    assert _collection_stats()["n"] == before + 1
    DatabaseBackend().remove_cases([db_corpus.id("运用智能技术")])
    assert _collection_stats()["n"] == before


@pytest.mark.parametrize("filters", [
    {},
    {"province": ("440000",)},
    {"scenario": ("life",)},
    {"province": ("440000",), "scenario": ("life",)},
    {"province": ("440000", "330000"), "group": ("elderly",)},
    {"province": ("440000",), "scenario": ("life", "work"), "task": ("life",)},
    {"campaign": ("c2025",), "year": (2025,), "tier": ("exemplary",)},
    {"province": ("110000",)},  # nothing passes
])
def test_facet_counts_of_the_matched_ids_equal_those_counted_dimension_by_dimension(db_corpus, filters):
    """The two-query count (ids) against the plain one (a subquery per filtered dimension)."""
    from search.backends import coverage, db_query
    from search.models import CaseIndex
    from search.segment import analyse

    for q in ("老年人", "数字", "培训"):
        aq = analyse(q)
        ids = coverage.accepted(aq, coverage.of_masks(aq, db_query.complete_atoms(aq))[0])
        assert ids
        subquery = CaseIndex.objects.filter(pk__in=ids).values("pk")
        assert db_query.facet_counts_of_ids(ids, filters) == db_query.facet_counts(subquery, filters), (q, filters)
