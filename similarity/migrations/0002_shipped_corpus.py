"""Load the policy reference corpus shipped in similarity/corpus/ (docs/similarity.md)."""

from django.db import migrations


def load(apps, schema_editor):
    from similarity.corpus import shipped_texts

    PolicyText = apps.get_model("similarity", "PolicyText")
    for slug, title, text in shipped_texts():
        PolicyText.objects.update_or_create(slug=slug, defaults={"title": title, "text": text})


def unload(apps, schema_editor):
    from similarity.corpus import shipped_texts

    PolicyText = apps.get_model("similarity", "PolicyText")
    PolicyText.objects.filter(slug__in=[slug for slug, _, _ in shipped_texts()]).delete()


class Migration(migrations.Migration):
    dependencies = [("similarity", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
