"""Inserting many new rows fast: COPY on PostgreSQL, `bulk_create` elsewhere.

Django's `bulk_create` on PostgreSQL spends most of its time preparing values and quoting
them client-side (about 2 000 rows a second for cases with their long texts); COPY takes the
same rows ten times faster. The primary keys are drawn from the table's sequence first, so the
caller can point child rows at the new parents, as `bulk_create` would let it.

No signal is sent and `save()` is not called, exactly as with `bulk_create`. Field values are
taken as they are (`pre_save` included, so auto_now fields behave as in `bulk_create`); JSON
fields go through the field's own preparation.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router

BATCH = 5000


def _values(model: type[models.Model], connection):
    fields = list(model._meta.concrete_fields)
    prepared = []
    for f in fields:
        needs_prep = isinstance(f, models.JSONField)
        stamps = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        prepared.append((f, needs_prep, stamps))

    def row(obj) -> list:
        out = []
        for f, needs_prep, stamps in prepared:
            value = f.pre_save(obj, True) if stamps else getattr(obj, f.attname)
            out.append(f.get_db_prep_save(value, connection) if needs_prep else value)
        return out

    return fields, row


def insert(model: type[models.Model], objs: Sequence[models.Model], *, batch: int = BATCH) -> None:
    """Insert new (unsaved) instances; afterwards each has its primary key."""
    if not objs:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model.objects.using(alias).bulk_create(objs, batch_size=batch)
        return
    meta = model._meta
    quote = connection.ops.quote_name
    missing = [o for o in objs if o.pk is None]
    with connection.cursor() as cursor:
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(missing)],
            )
            for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = pk
        fields, row = _values(model, connection)
        columns = ", ".join(quote(f.column) for f in fields)
        # Only identifiers from the model's metadata go into the statement; values are streamed.
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(row(obj))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
