"""The production settings keep no state in the app server, whatever the environment chooses."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from .servers import production_settings, secret_key

LOCAL = ("locmem", "filebased", "dummy")


@pytest.fixture
def production_env(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", secret_key())
    monkeypatch.setenv("ALLOWED_HOSTS", "casebook.example.cn")
    for name in ("REDIS_URL", "MEDIA_STORAGE", "TASKS_BACKEND", "AWS_STORAGE_BUCKET_NAME"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_without_redis_the_caches_are_database_tables(production_env):
    values = production_settings()
    assert {alias: c["BACKEND"] for alias, c in values["CACHES"].items()} == {
        "default": "django.core.cache.backends.db.DatabaseCache",
        "renditions": "django.core.cache.backends.db.DatabaseCache",
    }
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert values["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["TASKS"]["default"]["BACKEND"].endswith("ImmediateBackend")


def test_redis_the_database_queue_and_s3_from_the_environment(production_env):
    production_env.setenv("REDIS_URL", "redis://cache.internal:6379/2")
    production_env.setenv("TASKS_BACKEND", "database")
    production_env.setenv("MEDIA_STORAGE", "s3")
    production_env.setenv("AWS_STORAGE_BUCKET_NAME", "casebook-media")
    values = production_settings()
    caches = values["CACHES"]
    assert {c["BACKEND"] for c in caches.values()} == {"sharedcache.backend.ResilientRedisCache"}
    assert caches["default"]["KEY_PREFIX"] != caches["renditions"]["KEY_PREFIX"]
    assert values["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    media = values["STORAGES"]["default"]["OPTIONS"]
    assert media["default_acl"] == "private" and media["querystring_auth"] is False and media["file_overwrite"] is False
    assert not any(word in str(c["BACKEND"]) for c in caches.values() for word in LOCAL)


def test_whitenoise_comes_right_after_the_security_middleware(production_env):
    middleware = production_settings()["MIDDLEWARE"]
    assert middleware[:2] == ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]
    assert production_settings()["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.parametrize(("name", "value"), [("MEDIA_STORAGE", "nfs"), ("TASKS_BACKEND", "celery"), ("MEDIA_STORAGE", "s3")])
def test_a_wrong_choice_refuses_to_start(production_env, name, value):
    production_env.setenv(name, value)  # s3 without a bucket name is wrong too
    with pytest.raises(ImproperlyConfigured):
        production_settings()
