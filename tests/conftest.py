import shutil

import pytest
from django.conf import settings
from django.db import connection


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Wagtail caches renditions by image id, and ids are reused between tests."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def campaign(db):
    from tests.factories import CampaignFactory

    return CampaignFactory()


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests skip, with their reason, on SQLite; CI always runs PostgreSQL."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (row locks and races); CI runs it with DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


__all__ = ["connection"]
