"""Tests: fast password hashing, in-memory e-mail, tasks run immediately."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared in-memory database: a live server's threads then open their own
    # connections with the deployed OPTIONS (WAL, IMMEDIATE, busy timeout), so the race tests see
    # SQLite's real locking (tests/api/test_races_live.py). One file per pytest process; no fsync.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"casebook-test-{os.getpid()}.sqlite3"),  # noqa: F405
    }
    options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    options["init_command"] = "; ".join(filter(None, [options.get("init_command"), "PRAGMA synchronous=OFF"]))

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Security thresholds out of the way of the other tests; tests/security lowers them per test
# (pytest-django's `settings` fixture).
LOGIN_LOCKOUT_FAILURES = 10_000
LOGIN_IP_MAX_FAILURES = 100_000
RATE_LIMITS = [{**rule, "limit": 1_000_000} for rule in RATE_LIMITS]  # noqa: F405
ACCOUNT_RATE_LIMITS = [{**rule, "limit": 1_000_000} for rule in ACCOUNT_RATE_LIMITS]  # noqa: F405
TOTP_ENABLED = False
# Each test rolls back its rows and gets a fresh MEDIA_ROOT, but a cached rendition would outlive
# both (SQLite reuses ids; re-encoded uploads of the same test image have the same hash).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}

# Tasks run inline whatever the environment says (tests/deployment runs a real db_worker).
TASKS_BACKEND = "immediate"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# A PDF build per publication would add minutes to the suite: tests/website/test_compilation.py
# turns it back on; elsewhere a book is built when a test asks (`build_compilations`).
CASEBOOK = {**CASEBOOK, "COMPILATION_BUILD_ON_CHANGE": False}  # noqa: F405

# Never reach a real cluster from the general suite; the opt-in ES tests read the environment.
ELASTICSEARCH_URL = ""
