"""Production settings refuse to start when unsafe; the base is Chinese and time-zone aware."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _import_production(env: dict) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    full_env.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=full_env,
        capture_output=True, text=True, timeout=60,
    )


def test_production_refuses_default_secret_key():
    result = _import_production({"ALLOWED_HOSTS": "example.cn"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = _import_production({"SECRET_KEY": "x" * 50, "DEBUG": "1", "ALLOWED_HOSTS": "example.cn"})
    assert result.returncode != 0 and "DEBUG" in result.stderr


def test_production_starts_when_configured():
    result = _import_production({"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "example.cn"})
    assert result.returncode == 0, result.stderr


def test_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ


@pytest.mark.django_db
def test_database_follows_database_url():
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite3"
    assert settings.DATABASES["default"]["ENGINE"].endswith(expected)
