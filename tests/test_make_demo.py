"""`make demo` serves on PORT, and the links in e-mails (BASE_URL) follow it (issue 16).

Runs the real Makefile with a stand-in virtualenv whose `python` and `pip` only print what they
were asked, so nothing is installed, migrated or served."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def fake_venv(tmp_path: Path) -> Path:
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name, body in (("python", 'echo "BASE_URL=$BASE_URL ARGS=$*"'), ("pip", "true")):
        script = bin_dir / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return tmp_path / "venv"


def run_demo(tmp_path: Path, **env) -> str:
    venv = fake_venv(tmp_path)
    environ = {k: v for k, v in os.environ.items() if k not in {"BASE_URL", "PORT", "MAKEFLAGS"}} | env
    command = [shutil.which("make"), "--no-print-directory", "-C", str(REPO), "demo", f"VENV={venv}"]
    result = subprocess.run(command, env=environ, capture_output=True, text=True, timeout=60, check=True)  # noqa: S603
    return result.stdout


def test_base_url_follows_the_port_the_demo_serves_on(tmp_path):
    out = run_demo(tmp_path, PORT="8123")
    assert "BASE_URL=http://127.0.0.1:8123 ARGS=manage.py runserver 127.0.0.1:8123" in out
    assert "BASE_URL=http://127.0.0.1:8123 ARGS=manage.py load_demo_data --if-empty" in out


def test_an_explicit_base_url_wins(tmp_path):
    out = run_demo(tmp_path, PORT="8123", BASE_URL="https://cases.example.org")
    assert "BASE_URL=https://cases.example.org ARGS=manage.py runserver 127.0.0.1:8123" in out
