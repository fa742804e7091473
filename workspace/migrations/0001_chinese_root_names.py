"""Wagtail creates the page tree's root page and the root collection named "Root"; the admin shows
that name ("浏览: Root"). Officials read 根目录."""

from django.db import migrations

ROOT = "根目录"


def rename_roots(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title="Root").update(title=ROOT, draft_title=ROOT)
    Collection.objects.filter(depth=1, name="Root").update(name=ROOT)


def restore_roots(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title=ROOT).update(title="Root", draft_title="Root")
    Collection.objects.filter(depth=1, name=ROOT).update(name="Root")


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(rename_roots, restore_roots)]
