"""A full rebuild on PostgreSQL loads fresh tables and swaps them in (`search.backends.db_swap`).

It must leave exactly what rebuilding in place leaves: the same rows, the same schema (index,
constraint and sequence names the migrations made), and every case published, corrected or
revoked while it ran in its right state afterwards.
"""

from __future__ import annotations

import pytest
from django.db import connection

from cases.models import Case
from cases.states import CaseStatus
from search.backends import database_backend, db_swap
from search.extract import case_text, searchable_cases
from search.indexing import sync_cases
from search.maintenance import check, reindex
from search.models import CaseFacet, CaseIndex, IndexTerm
from search.query import SearchQuery
from search.service import search_cases

from .conftest import finished_campaign, import_case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def dump() -> tuple[list, list, list]:
    return (
        sorted(CaseIndex.objects.values_list("case_id", "title", "published_at", "len_title", "len_summary",
                                             "len_about", "len_body", "digest")),
        sorted(IndexTerm.objects.values_list("case_id", "term", "title", "summary", "about", "body")),
        sorted(CaseFacet.objects.values_list("case_id", "dimension", "value")),
    )


def schema() -> tuple[list, list, tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'search%%' ORDER BY 1, 2")
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid::regclass::text LIKE 'search%%' ORDER BY 1, 2"
        )
        constraints = cursor.fetchall()
        cursor.execute("SELECT pg_get_serial_sequence('search_casefacet', 'id')")
        sequences = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE '%%_rebuild%%'")
        leftovers = cursor.fetchone()[0]
    return indexes, constraints, (sequences, leftovers)


def table_oid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'search_indexterm'::regclass::oid")
        return cursor.fetchone()[0]


def test_a_full_rebuild_swaps_in_the_same_rows_under_the_same_schema(db_corpus):
    rows, shape, oid = dump(), schema(), table_oid()
    query = SearchQuery(q="老年人", page_size=20)
    found = [h.case_id for h in search_cases(query).hits]
    assert db_swap.usable() and rows[1] and found

    assert reindex("database") == len(db_corpus.cases)

    assert table_oid() != oid  # fresh tables, not the old ones rewritten
    assert dump() == rows
    assert schema() == shape
    assert [h.case_id for h in search_cases(query).hits] == found
    assert all(r.ok for r in check())
    # The swapped-in tables take new rows as before (their identity sequences work).
    sync_cases([db_corpus.id("运用智能技术")])
    assert dump() == rows


def test_a_full_rebuild_repairs_what_was_wrong(db_corpus):
    missing, spoiled = db_corpus.id("数字乡村"), db_corpus.id("退役军人")
    rows = dump()
    IndexTerm.objects.filter(case_id=missing).delete()
    CaseFacet.objects.filter(case_id=missing).delete()
    CaseIndex.objects.filter(pk=missing).delete()
    IndexTerm.objects.filter(case_id=spoiled).update(body=99)
    CaseIndex.objects.filter(pk=spoiled).update(digest="0" * 64)
    unpublished = db_corpus.id("中小学生")
    Case.objects.filter(pk=unpublished).update(status=CaseStatus.WITHDRAWN)  # behind the index's back
    assert not all(r.ok for r in check())

    reindex("database")

    expected = tuple([r for r in part if r[0] != unpublished] for part in rows)
    assert dump() == expected
    assert all(r.ok for r in check())


def test_cases_published_corrected_or_revoked_while_it_runs_end_up_right(db_corpus, django_capture_on_commit_callbacks):
    db = database_backend()
    corrected, revoked, pending = db_corpus.id("政务服务"), db_corpus.id("数字乡村"), db_corpus.id("退役军人")
    campaign = finished_campaign("c-meanwhile", 2025)
    published: list[int] = []

    def cases():
        snapshot = list(searchable_cases().order_by("pk"))  # what the rebuild read
        yield from snapshot[:2]
        with django_capture_on_commit_callbacks(execute=True):  # its sync runs: into the old tables
            published.append(import_case(campaign, title="银龄数字课堂新开班", region="440100", day=9).pk)
        Case.objects.filter(pk=corrected).update(title="政务服务应用完成适老化改造（更正）")
        sync_cases([corrected])
        Case.objects.filter(pk=revoked).update(status=CaseStatus.WITHDRAWN)
        sync_cases([revoked])
        # Revoked, but its sync has not run yet (it would wait for the swap's lock).
        Case.objects.filter(pk=pending).update(status=CaseStatus.WITHDRAWN)
        yield from snapshot[2:]

    db.rebuild(cases(), len(db_corpus.cases))

    indexed = set(CaseIndex.objects.values_list("pk", flat=True))
    assert published[0] in indexed
    assert revoked not in indexed and pending not in indexed
    assert not IndexTerm.objects.filter(case_id__in=[revoked, pending]).exists()
    current = case_text(searchable_cases().get(pk=corrected))
    assert CaseIndex.objects.get(pk=corrected).digest == current.digest()
    assert all(r.ok for r in check())
    hits = {h.case_id for h in search_cases(SearchQuery(q="更正", page_size=20)).hits}
    assert hits == {corrected}


def test_a_rebuild_that_fails_leaves_the_old_index_and_nothing_else(db_corpus):
    rows, shape, oid = dump(), schema(), table_oid()

    def cases():
        yield from searchable_cases().order_by("pk")[:2]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        database_backend().rebuild(cases(), len(db_corpus.cases))
    assert (dump(), schema(), table_oid()) == (rows, shape, oid)


def test_a_second_full_rebuild_at_the_same_time_is_refused_and_the_first_goes_on(db_corpus):
    import psycopg
    from django.conf import settings

    rows = dump()
    db = settings.DATABASES["default"]
    other = psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=connection.settings_dict["NAME"],
                            password=db["PASSWORD"] or None, autocommit=True)
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [db_swap.REBUILD_LOCK])  # a rebuild elsewhere
        with pytest.raises(db_swap.RebuildRunning, match="正在进行"):
            reindex("database")
        assert dump() == rows and schema()[2][1] == 0
    finally:
        other.close()
    assert reindex("database") == len(db_corpus.cases)  # free again
