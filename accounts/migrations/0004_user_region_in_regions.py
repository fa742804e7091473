"""User.region points at regions.Region (the model moved from cases; same table, so state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_access_token_user_stamp'),
        ('regions', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='user',
                    name='region',
                    field=models.ForeignKey(blank=True, help_text='申报单位：本地区及下辖地区；推荐单位：所在省份；评审专家：所在省份（用于回避）。', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='users', to='regions.region', verbose_name='所属地区'),
                ),
            ],
        ),
    ]
