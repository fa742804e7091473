"""Real app servers for the deployment tests: gunicorn processes with the production settings.

Each server is a separate process with nothing in common with the others but what a real
deployment shares: the PostgreSQL database, Redis, MEDIA_ROOT and the environment.
"""

from __future__ import annotations

import importlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def database_url(settings_dict: dict) -> str:
    """The URL of the database the tests use (pytest-django's test database)."""
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or HOST
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def production_env(**values: str) -> dict[str, str]:
    """The environment of a production process (plain HTTP on loopback, hence the SECURE_* zeros)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DB_CONN_MAX_AGE": "0",  # no connection outlives a request: the test database can be dropped
        "LOG_LEVEL": "WARNING",
        **values,
    })
    return env


def manage(env: dict[str, str], *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


@dataclass
class Server:
    """One gunicorn process on its own port."""

    name: str
    port: int
    log: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"{HOST}:{self.port}",
             "--workers", "1", "--threads", "4", "--timeout", "120",
             # Several gunicorns on one host would share ~/.gunicorn/gunicorn.ctl otherwise.
             "--no-control-socket"],
            cwd=ROOT, env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
        )

    def wait_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server {self.name} exited:\n{self.log.read_text(errors='replace')}")
            try:
                requests.get(f"{self.url}/admin/login/", timeout=max(1.0, deadline - time.monotonic()))
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise AssertionError(f"server {self.name} did not answer:\n{self.log.read_text(errors='replace')}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown (TERM waits for keep-alives)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_servers(env: dict[str, str], names: list[str], log_dir: Path, timeout: float = 90) -> list[Server]:
    servers = [Server(name, free_port(), log_dir / f"server-{name}.log") for name in names]
    for server in servers:
        server.start(env)
    deadline = time.monotonic() + timeout
    try:
        for server in servers:
            server.wait_ready(deadline)
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


def secret_key() -> str:
    return secrets.token_urlsafe(50)


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token in the form"
    return match.group(1)


SETTINGS_MODULES = ("config.settings.base", "config.settings.production")


def production_settings() -> dict:
    """The production settings as this environment makes them (imported afresh, then put back)."""
    import config.settings as package

    saved = {name: sys.modules.pop(name) for name in SETTINGS_MODULES if name in sys.modules}
    try:
        return dict(vars(importlib.import_module("config.settings.production")))
    finally:
        for name in SETTINGS_MODULES:
            sys.modules.pop(name, None)
        sys.modules.update(saved)
        for name, module in saved.items():
            setattr(package, name.rsplit(".", 1)[1], module)
