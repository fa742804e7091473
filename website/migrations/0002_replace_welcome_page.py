"""Replace Wagtail's default welcome page with the HomePage at the site root.

The standard Wagtail pattern (as in its project template), written to depend on the latest
wagtailcore migration instead of running before 0053, so it also applies to databases that
were migrated before this app had models; the page takes the root page's locale.
"""

from django.db import migrations

TITLE = "典型案例库"


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("website.HomePage")

    if HomePage.objects.exists():
        return
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:  # wagtailcore's initial data was removed; nothing to attach to
        return
    page_type = ContentType.objects.get_for_model(Page)
    # The welcome page of wagtailcore.0002_initial_data, if still there and untouched.
    Page.objects.filter(content_type=page_type, slug="home", depth=2, numchild=0).delete()

    homepage_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="website")
    taken = set(Page.objects.filter(depth=2).values_list("path", flat=True))
    number = 1
    while f"{root.path}{number:04d}" in taken:
        number += 1
    homepage = HomePage.objects.create(
        title=TITLE,
        draft_title=TITLE,
        slug="home" if not Page.objects.filter(depth=2, slug="home").exists() else "casebook-home",
        content_type=homepage_type,
        path=f"{root.path}{number:04d}",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=root.locale_id,
        live=True,
    )
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=homepage, is_default_site=True, site_name=TITLE)
    else:
        site.root_page = homepage
        site.site_name = site.site_name or TITLE
        site.save()


def remove_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("website.HomePage")
    Page = apps.get_model("wagtailcore.Page")
    HomePage.objects.all().delete()  # its Site goes with it (CASCADE)
    ContentType.objects.filter(model="homepage", app_label="website").delete()
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
