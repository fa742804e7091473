"""Fixtures for the deployment tests: Redis (or a skip saying why), collected static files."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

from .servers import database_url, manage, production_env, reachable, secret_key

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="session")
def redis_url() -> str:
    parts = urlsplit(REDIS_URL)
    if not reachable(parts.hostname or "127.0.0.1", parts.port or 6379):
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: the several-server tests share a Redis cache (CI runs Redis)")
    return REDIS_URL


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> str:
    """`collectstatic` as a deployment runs it: hashed, compressed files and their manifest."""
    root = tmp_path_factory.mktemp("static")
    env = production_env(SECRET_KEY=secret_key(), STATIC_ROOT=str(root), DATABASE_URL="sqlite:///:memory:")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0", timeout=300)
    return str(root)


@pytest.fixture(scope="module")
def shared_database(django_db_setup, django_db_blocker):
    """A copy of the migrated test database that the servers and this process share, committed.

    Servers in other processes only see committed rows, and a transactional test would flush the
    whole test database afterwards (and need the data migrations' rows restored). A copy made
    from it as a template costs a second, is written to freely, and is dropped at the end.
    """
    from django.db import connection

    settings_dict = connection.settings_dict
    with django_db_blocker.unblock():
        # pytest-django sets up the test database only when some collected test is marked for it.
        own_test_database = not settings_dict["NAME"].startswith("test_")
        if own_test_database:
            production_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        original = settings_dict["NAME"]
        copy = f"{original}_deploy"
        admin_url = database_url({**settings_dict, "NAME": "postgres"})
        connection.close()  # a template must have no other sessions
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(copy)))
            # Connections an earlier test's threads left open on this run's own test database.
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                          [original])
            admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(copy), sql.Identifier(original)))
        settings_dict["NAME"] = copy
        _restore_migration_rows(connection)
        try:
            yield database_url(settings_dict)
        finally:
            connection.close()
            settings_dict["NAME"] = original
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy)))
            if own_test_database:
                connection.creation.destroy_test_db(production_name, verbosity=0)


def _restore_migration_rows(connection) -> None:
    """Tests without a django_db mark run after the transactional ones, and the last of those
    leaves the test database flushed (serialized rollback reloads at set-up, flushes at teardown):
    put the data migrations' rows (regions, site pages) back into the copy, as they were."""
    from cases.models import Region

    serialized = getattr(connection, "_test_serialized_contents", None)
    if serialized and not Region.objects.exists():
        connection.creation.deserialize_db_from_string(serialized)
