from django.db import migrations


def load(apps, schema_editor):
    from regions.loading import load_regions

    load_regions(apps.get_model("cases", "Region"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
