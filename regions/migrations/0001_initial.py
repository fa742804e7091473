"""Region moves from `cases` to this app: the model's home changes, its table does not.

State only: the table `cases_region` (created by cases/0001, filled by cases/0002) stays where it
is, with its rows and the foreign keys that point at it; no row is copied. cases/0012 and
accounts/0004 point their foreign keys here (state only too) and cases/0012 forgets its own Region.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    # The table must exist, filled, before this app owns it (a later migration here may alter it).
    dependencies = [("cases", "0002_load_regions")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Region',
                    fields=[
                        ('code', models.CharField(max_length=6, primary_key=True, serialize=False, verbose_name='区划代码')),
                        ('name', models.CharField(max_length=50, verbose_name='名称')),
                        ('level', models.CharField(choices=[('province', '省级'), ('prefecture', '地级'), ('county', '县级')], db_index=True, max_length=12, verbose_name='级别')),
                        ('kind', models.CharField(choices=[('province', '省'), ('autonomous_region', '自治区'), ('municipality', '直辖市'), ('sar', '特别行政区'), ('city', '地级市'), ('prefecture', '地区'), ('autonomous_prefecture', '自治州'), ('league', '盟'), ('grouping', '统计分组（市辖区/省直辖县级行政区划）'), ('county', '县级行政区')], max_length=24, verbose_name='类型')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='regions.region')),
                        ('province', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region')),
                    ],
                    options={
                        'verbose_name': '地区',
                        'verbose_name_plural': '地区',
                        'db_table': 'cases_region',
                        'ordering': ['code'],
                    },
                ),
            ],
        ),
    ]
