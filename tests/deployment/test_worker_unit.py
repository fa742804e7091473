"""The shipped supervisor unit runs the production worker and restarts it whatever happens."""

from __future__ import annotations

from .servers import ROOT

UNIT = ROOT / "deploy" / "systemd" / "casebook-worker@.service"


def _settings() -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_the_unit_runs_db_worker_with_the_production_settings_and_always_restarts():
    unit = _settings()
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in unit["Environment"]
    assert unit["ExecStart"][0].split()[1:3] == ["manage.py", "db_worker"]
    assert "--reload" not in unit["ExecStart"][0]
    assert unit["Restart"] == ["always"]
    assert unit["KillSignal"] == ["SIGTERM"]  # the worker's graceful stop: it finishes its task
    docs = (ROOT / "docs" / "scale-out.md").read_text()
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in docs and "casebook-worker@.service" in docs
