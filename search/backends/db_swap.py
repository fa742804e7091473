"""A full rebuild of the database index on PostgreSQL: into fresh tables, swapped in at the end.

Rewriting the index in place costs, per posting row (about 1,000 per case, 11 million for
10,000 cases), the delete of the old row, a heap row, three B-tree entries kept in order one by
one and the WAL of each. Loading fresh tables with `COPY … FREEZE` (no WAL per row beyond the
heap, rows born frozen and all-visible, so index-only scans work at once) and building their
indexes afterwards by sorting is several times cheaper (docs/performance.md). Searches keep
reading the old, complete index until one short transaction swaps the tables, as the
Elasticsearch backend swaps its alias.

The new tables copy the old ones' columns, defaults, identity and CHECK constraints (`LIKE`),
then get the old ones' indexes, primary key and foreign keys from PostgreSQL's own definitions,
renamed to the old names once the old tables are gone: the schema after a rebuild is exactly
what the migrations made. Cases published, corrected or revoked while the rebuild ran are
reconciled inside the swap (`_reconcile`), under a lock that holds writers back for that
moment only, so nothing indexed meanwhile is lost and nothing revoked comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext

from cases.models import Case
from cases.permissions import PUBLIC_STATES

from ..extract import CaseText, case_text, searchable_cases
from ..models import CaseFacet, CaseIndex, IndexTerm
from . import Progress

SUFFIX = "_rebuild"
REBUILD_LOCK = 0x63617365626B  # pg_advisory_lock key of a full rebuild ("casebk")
# The posting rows' columns, in the order of `database.copy_text`.
POSTING_FIELDS = ("term", "case", "title", "summary", "about", "body")
# For the index builds' sorts (session setting; PostgreSQL's default is 64 MB).
SORT_MEMORY = "256MB"
MODELS = (CaseIndex, IndexTerm, CaseFacet)  # referenced table first
# The order in which a sync (`DatabaseBackend.index_texts`) first writes them: locking in the
# same order, the swap waits for a sync in progress instead of deadlocking with it.
LOCK_ORDER = (IndexTerm, CaseFacet, CaseIndex)

RowsFor = Callable[[CaseText], tuple[CaseIndex, list, list[CaseFacet]]]


def usable(using: str | None = None) -> bool:
    """PostgreSQL, and no table outside the index referring to the tables to be swapped."""
    connection = connections[using or router.db_for_write(IndexTerm)]
    if connection.vendor != "postgresql":
        return False
    tables = [m._meta.db_table for m in MODELS]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = ANY(%s::regclass[])"
            " AND NOT conrelid = ANY(%s::regclass[])",
            [tables, tables],
        )
        return cursor.fetchone()[0] == 0


def _generated_key(model) -> bool:
    return model._meta.pk.get_internal_type().endswith("AutoField")


def _columns(model) -> list[str]:
    """Columns written by the rebuild, in the order `DatabaseBackend` writes them: all but a
    generated surrogate key; posting rows in the order of POSTING_FIELDS (`database.copy_text`)."""
    if model is IndexTerm:
        return [IndexTerm._meta.get_field(name).column for name in POSTING_FIELDS]
    return [f.column for f in model._meta.concrete_fields if not (f.primary_key and _generated_key(model))]


def _values(instance) -> list:
    """An unsaved index row's values in the order of `_columns` (the model's own field order)."""
    model = type(instance)
    return [getattr(instance, f.attname) for f in model._meta.concrete_fields
            if not (f.primary_key and _generated_key(model))]


class _Loader:
    def __init__(self, connection, rows_for: RowsFor, copy_text: Callable[[list], str]):
        self.connection, self.rows_for, self.copy_text = connection, rows_for, copy_text
        self.q = connection.ops.quote_name

    def new(self, model) -> str:
        return model._meta.db_table + SUFFIX

    def copy_sql(self, model, freeze: bool) -> str:
        cols = ", ".join(self.q(c) for c in _columns(model))
        return f"COPY {self.q(self.new(model))} ({cols}) FROM STDIN" + (" WITH (FREEZE)" if freeze else "")

    def create(self, cursor) -> None:
        for model in MODELS:
            old, new = self.q(model._meta.db_table), self.q(self.new(model))
            cursor.execute(f"DROP TABLE IF EXISTS {new}")
            cursor.execute(
                f"CREATE TABLE {new} (LIKE {old} INCLUDING DEFAULTS INCLUDING IDENTITY"
                " INCLUDING CONSTRAINTS INCLUDING STORAGE)"
            )

    def load(self, cursor, texts: list[CaseText], *, freeze: bool = True) -> None:
        if not texts:
            return
        built = [self.rows_for(t) for t in texts]
        now = timezone.now()
        raw = cursor.cursor
        for row, _p, _f in built:
            row.indexed_at = now  # what auto_now would set
        with raw.copy(self.copy_sql(CaseIndex, freeze)) as copy:
            for row, _p, _f in built:
                copy.write_row(_values(row))
        with raw.copy(self.copy_sql(IndexTerm, freeze)) as copy:
            copy.write(self.copy_text([p for _r, postings, _f in built for p in postings]))
        with raw.copy(self.copy_sql(CaseFacet, freeze)) as copy:
            for _r, _p, facets in built:
                for facet in facets:
                    copy.write_row(_values(facet))


def _definitions(cursor, table: str) -> tuple[list[tuple[str, str, str]], list[tuple[str, bool, str]]]:
    """(name, type, definition) of the table's key and foreign-key constraints, and (name,
    unique?, definition after USING) of its other indexes, as PostgreSQL reports them."""
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f', 'x') ORDER BY contype DESC, conname",
        [table],
    )
    constraints = list(cursor.fetchall())
    cursor.execute(
        "SELECT i.relname, x.indisunique, pg_get_indexdef(x.indexrelid) FROM pg_index x"
        " JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)"
        " ORDER BY i.relname",
        [table],
    )
    indexes = [(name, unique, definition.split(" USING ", 1)[1]) for name, unique, definition in cursor.fetchall()]
    return constraints, indexes


def _build_indexes(cursor, loader: _Loader) -> list[tuple[str, str, str, str]]:
    """Create on the new tables what the old ones have, under temporary names; returns the
    renames to do after the swap: (kind, table or index, temporary name, final name)."""
    q = loader.q
    renames: list = []
    for number, model in enumerate(MODELS):
        old, new = model._meta.db_table, loader.new(model)
        constraints, indexes = _definitions(cursor, old)
        for i, (name, unique, using) in enumerate(indexes):
            temporary = f"search_rb{number}_i{i}"
            cursor.execute(f"CREATE {'UNIQUE ' if unique else ''}INDEX {q(temporary)} ON {q(new)} USING {using}")
            renames.append(("index", old, temporary, name))
        for i, (name, kind, definition) in enumerate(constraints):
            if kind == "f":
                for target in MODELS:
                    table = target._meta.db_table
                    definition = definition.replace(f"REFERENCES {table}(", f"REFERENCES {loader.new(target)}(")
            temporary = f"search_rb{number}_c{i}"
            cursor.execute(f"ALTER TABLE {q(new)} ADD CONSTRAINT {q(temporary)} {definition}")
            renames.append(("constraint", old, temporary, name))
    return renames


def _reconcile(cursor, loader: _Loader) -> int:
    """Inside the swap, with writers held back: make the new index agree with the cases now.

    Syncs that ran during the rebuild went to the old tables. Where the two disagree (one has
    a case the other lacks, or their digests differ), or the case is no longer published, the
    case is indexed afresh from its current state, or left out if it is not published: a case
    published, corrected or revoked meanwhile comes out right whichever way the race went, and
    no clock is compared. Returns how many cases were redone."""
    q = loader.q
    pk, digest = q(CaseIndex._meta.pk.column), q(CaseIndex._meta.get_field("digest").column)
    status = q(Case._meta.get_field("status").column)
    old, new = q(CaseIndex._meta.db_table), q(loader.new(CaseIndex))
    cases, case_pk = q(Case._meta.db_table), q(Case._meta.pk.column)
    cursor.execute(  # identifiers from the models' metadata only
        f"SELECT coalesce(o.{pk}, n.{pk}) FROM {old} o FULL JOIN {new} n ON n.{pk} = o.{pk}"  # noqa: S608
        f" WHERE o.{pk} IS NULL OR n.{pk} IS NULL OR o.{digest} <> n.{digest}"
        f" UNION SELECT n.{pk} FROM {new} n LEFT JOIN {cases} c ON c.{case_pk} = n.{pk}"
        f" WHERE c.{case_pk} IS NULL OR NOT (c.{status} = ANY(%s))",
        [list(PUBLIC_STATES)],
    )
    ids = sorted(r[0] for r in cursor.fetchall())
    if not ids:
        return 0
    for model in (IndexTerm, CaseFacet, CaseIndex):
        case_col = q(model._meta.get_field("case").column)
        cursor.execute(f"DELETE FROM {q(loader.new(model))} WHERE {case_col} = ANY(%s)", [ids])  # noqa: S608
    loader.load(cursor, [case_text(c) for c in searchable_cases().filter(pk__in=ids)], freeze=False)
    return len(ids)


class RebuildRunning(Exception):
    """Another full rebuild holds the tables being built (two would drop each other's)."""


def rebuild(batches: Iterable[list[CaseText]], total: int, progress: Progress | None, *, rows_for: RowsFor,
            copy_text: Callable[[list], str]) -> int:
    """Index every given case into new tables and swap them in; the old rows are dropped.
    One at a time per database (an advisory lock): a second one is refused at once."""
    connection = connections[router.db_for_write(IndexTerm)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [REBUILD_LOCK])
        if not cursor.fetchone()[0]:
            raise RebuildRunning(gettext("另一次全量重建正在进行，请等它结束后再试。"))
    try:
        return _rebuild(connection, batches, total, progress, rows_for=rows_for, copy_text=copy_text)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK])


def _rebuild(connection, batches: Iterable[list[CaseText]], total: int, progress: Progress | None, *,
             rows_for: RowsFor, copy_text: Callable[[list], str]) -> int:
    loader = _Loader(connection, rows_for, copy_text)
    done = 0
    # One transaction for creating and loading: FREEZE needs the table created in it, and a
    # rebuild that fails leaves nothing behind.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        loader.create(cursor)
        for batch in batches:
            loader.load(cursor, batch)
            done += len(batch)
            if progress:
                progress(done, total)
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{SORT_MEMORY}'")
            renames = _build_indexes(cursor, loader)
            for model in MODELS:
                cursor.execute(f"ANALYZE {loader.q(loader.new(model))}")
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            _swap(cursor, loader, renames)
    except BaseException:
        with connection.cursor() as cursor:
            for model in reversed(MODELS):
                cursor.execute(f"DROP TABLE IF EXISTS {loader.q(loader.new(model))}")
        raise
    return done


def _swap(cursor, loader: _Loader, renames: list) -> None:
    q = loader.q
    old_tables = ", ".join(q(m._meta.db_table) for m in LOCK_ORDER)
    # EXCLUSIVE: searches go on reading, syncs wait (and then write to the new tables, which
    # by then carry the old names: PostgreSQL looks a name up again after waiting for a lock).
    cursor.execute(f"LOCK TABLE {old_tables} IN EXCLUSIVE MODE")
    _reconcile(cursor, loader)
    sequences = []
    for model in MODELS:
        if not _generated_key(model):
            continue
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s), pg_get_serial_sequence(%s, %s)",
                       [model._meta.db_table, model._meta.pk.column, loader.new(model), model._meta.pk.column])
        sequences.append(cursor.fetchone())
    # Deferred foreign-key checks still pending on the old tables (writes earlier in an
    # enclosing transaction) would forbid dropping them: run them now.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"DROP TABLE {old_tables}")
    for model in MODELS:
        cursor.execute(f"ALTER TABLE {q(loader.new(model))} RENAME TO {q(model._meta.db_table)}")
    for kind, table, temporary, name in renames:
        if kind == "index":
            cursor.execute(f"ALTER INDEX {q(temporary)} RENAME TO {q(name)}")
        else:
            cursor.execute(f"ALTER TABLE {q(table)} RENAME CONSTRAINT {q(temporary)} TO {q(name)}")
    for old_sequence, new_sequence in sequences:
        if old_sequence and new_sequence:  # "public.name": the old name, now free again
            cursor.execute(f"ALTER SEQUENCE {new_sequence} RENAME TO {q(old_sequence.rsplit('.', 1)[-1])}")
