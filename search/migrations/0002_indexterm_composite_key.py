"""Posting rows keyed by (case, term), without a surrogate id, a separate case index or a
foreign-key constraint; `term` in collation "C" on PostgreSQL (docs/performance.md, reindex).

The posting table is derived data: it is recreated empty and the database index is emptied, so
the `post_migrate` hook (`search.indexing.build_if_empty`) rebuilds it from the published cases
at the end of this `migrate`.
"""

import django.db.models.deletion
from django.db import migrations, models


def bytewise_terms(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite compares text bytewise already (BINARY)
    schema_editor.execute('ALTER TABLE search_indexterm ALTER COLUMN term TYPE varchar(32) COLLATE "C"')


def empty_index(apps, schema_editor):
    quote = schema_editor.quote_name
    for name in ("CaseFacet", "CaseIndex"):  # raw: the ORM would cascade to the dropped table
        schema_editor.execute(f"DELETE FROM {quote(apps.get_model('search', name)._meta.db_table)}")


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="IndexTerm"),
        migrations.RunPython(empty_index, migrations.RunPython.noop),
        migrations.CreateModel(
            name="IndexTerm",
            fields=[
                ("pk", models.CompositePrimaryKey("case", "term", blank=True, editable=False, primary_key=True, serialize=False)),
                ("case", models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                           related_name="terms", to="search.caseindex")),
                ("term", models.CharField(max_length=32)),
                ("title", models.PositiveSmallIntegerField(default=0)),
                ("summary", models.PositiveSmallIntegerField(default=0)),
                ("about", models.PositiveSmallIntegerField(default=0)),
                ("body", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "indexes": [models.Index(fields=["term", "case"], name="search_term_case")],
            },
        ),
        migrations.RunPython(bytewise_terms, migrations.RunPython.noop),
    ]
