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


def pytest_unconfigure(config):
    """Django deletes the SQLite test database file but not its WAL sidecars (config/settings/test.py)."""
    from pathlib import Path

    if not settings.configured or not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return
    name = str(settings.DATABASES["default"].get("TEST", {}).get("NAME") or "")
    if name and not Path(name).exists():
        for suffix in ("-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
