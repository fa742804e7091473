"""Batched indexing (imports, `cases.effects.batched`) and partial reindexing: the index ends up the same, in fewer queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import effects
from search.extract import searchable_cases
from search.maintenance import reindex
from search.models import CaseIndex, IndexTerm
from search.query import SearchQuery
from search.service import search_cases

from .conftest import finished_campaign, import_case

pytestmark = pytest.mark.django_db
REGIONS = ("440100", "330100", "510100", "420100", "440300", "320100")


def indexed() -> set[int]:
    return set(CaseIndex.objects.values_list("pk", flat=True))


def _import(campaign, n: int, capture, prefix: str) -> list[int]:
    with capture(execute=True):
        return [
            import_case(campaign, title=f"{prefix}银龄数字课堂第{i}期", region=REGIONS[i], day=i + 1,
                        summary="社区学校开设智能手机课堂，帮助老年人跨越数字鸿沟。").pk
            for i in range(n)
        ]


def _sync_queries(campaign, n: int, capture, prefix: str) -> tuple[list[int], int]:
    """Cases imported inside `batched()`; the queries its end spends on indexing them."""
    block = effects.batched()
    block.__enter__()
    ids = _import(campaign, n, capture, prefix)
    assert not set(ids) & indexed()  # collected, not yet written
    with CaptureQueriesContext(connection) as ctx:
        block.__exit__(None, None, None)
    return ids, len(ctx)


def test_a_batch_is_indexed_at_its_end_in_queries_that_do_not_grow_with_its_size(django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-batch", 2025)
    first, _ = _sync_queries(campaign, 1, django_capture_on_commit_callbacks, "丁")  # creates the compilation row
    two, few = _sync_queries(campaign, 2, django_capture_on_commit_callbacks, "甲")
    six, many = _sync_queries(campaign, 6, django_capture_on_commit_callbacks, "乙")
    assert set(first) | set(two) | set(six) <= indexed()
    assert many == few
    found = search_cases(SearchQuery(q="银龄数字课堂", page_size=20))
    assert {h.case_id for h in found.hits} == set(first) | set(two) | set(six)


def test_a_nested_batch_leaves_the_work_to_the_outer_one(django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-nested", 2025)
    with effects.batched():
        with effects.batched():
            ids = _import(campaign, 2, django_capture_on_commit_callbacks, "丙")
        assert not set(ids) & indexed()
    assert set(ids) <= indexed()


def test_outside_a_batch_each_case_is_indexed_at_once(django_capture_on_commit_callbacks):
    ids = _import(finished_campaign("c-once", 2025), 1, django_capture_on_commit_callbacks, "丁")
    assert set(ids) <= indexed()


def test_a_partial_reindex_rebuilds_its_cases_and_leaves_the_others(django_capture_on_commit_callbacks):
    mine, other = finished_campaign("c-mine", 2025), finished_campaign("c-other", 2024)
    ids = _import(mine, 3, django_capture_on_commit_callbacks, "戊")
    others = _import(other, 2, django_capture_on_commit_callbacks, "己")
    before = sorted(IndexTerm.objects.filter(case_id__in=ids).values_list("case_id", "term", "title", "summary", "about", "body"))
    IndexTerm.objects.filter(case_id=ids[0]).delete()
    assert reindex("database", cases=searchable_cases().filter(campaign=mine)) == 3
    assert set(ids) | set(others) <= indexed()
    after = sorted(IndexTerm.objects.filter(case_id__in=ids).values_list("case_id", "term", "title", "summary", "about", "body"))
    assert after == before
    with pytest.raises(ValueError):
        reindex("elasticsearch", cases=searchable_cases())


def test_a_full_rebuild_prunes_what_was_there_but_keeps_a_case_indexed_meanwhile(django_capture_on_commit_callbacks):
    """Both ways of rebuilding (in place; on PostgreSQL into fresh tables swapped in)."""
    from cases.models import Case
    from cases.states import CaseStatus
    from search.backends import database_backend

    campaign = finished_campaign("c-prune", 2025)
    kept, gone, meanwhile = _import(campaign, 3, django_capture_on_commit_callbacks, "庚")
    db = database_backend()

    def cases():
        yield from searchable_cases().filter(pk=kept)
        db.index_cases(searchable_cases().filter(pk=meanwhile))  # published while the rebuild runs

    IndexTerm.objects.filter(case_id=meanwhile).delete()
    CaseIndex.objects.filter(pk=meanwhile).delete()
    # No longer published, still in the index: what a full rebuild is there to clean up.
    Case.objects.filter(pk=gone).update(status=CaseStatus.WITHDRAWN)
    assert db.rebuild(cases(), 1) == 1
    assert indexed() == {kept, meanwhile}
    assert gone not in indexed()
