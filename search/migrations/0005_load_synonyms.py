"""Loads the shipped synonym dictionary (search/data/synonyms.txt) into an empty table.

A table that already has groups (edited by the secretariat) is left alone; to start again from
the shipped file: `manage.py search_synonyms --reset` (docs/search.md, "Synonyms").
"""

from django.db import migrations


def load(apps, schema_editor):
    from search.synonyms import read_file

    SynonymGroup = apps.get_model("search", "SynonymGroup")
    if SynonymGroup.objects.exists():
        return
    SynonymGroup.objects.bulk_create([
        SynonymGroup(terms="、".join(rule.terms), targets="、".join(rule.targets), note=note[:200])
        for rule, note in read_file()
    ])


class Migration(migrations.Migration):
    dependencies = [("search", "0004_synonym_group")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
