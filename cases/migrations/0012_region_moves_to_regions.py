"""Region leaves `cases` for the regions app (below accounts and cases): state only.

The foreign keys keep their columns and constraints (they point at the same table, cases_region,
which regions.Region keeps as its db_table); the state now names regions.Region. The content type
is renamed, so permissions and any generic reference to a region follow the model.
"""

import django.db.models.deletion
from django.db import migrations, models


def rename_content_type(app_from: str, app_to: str):
    def run(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        if content_type.objects.using(db).filter(app_label=app_to, model="region").exists():
            return
        content_type.objects.using(db).filter(app_label=app_from, model="region").update(app_label=app_to)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_user_region_in_regions'),
        ('cases', '0011_adoption_one_per_region'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('regions', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='case',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='regions.region', verbose_name='所属地区'),
                ),
                migrations.AlterField(
                    model_name='adoption',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='借鉴地区'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='province',
                    field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region'),
                ),
                migrations.AlterField(
                    model_name='nominationlock',
                    name='province',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='prefecture',
                    field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region'),
                ),
                migrations.AlterField(
                    model_name='quotaoverride',
                    name='province',
                    field=models.ForeignKey(limit_choices_to={'level': 'province'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='省份'),
                ),
                # The table stays: regions.Region owns it now (db_table = "cases_region").
                migrations.DeleteModel(name='Region'),
            ],
        ),
        migrations.RunPython(rename_content_type("cases", "regions"), rename_content_type("regions", "cases")),
    ]
