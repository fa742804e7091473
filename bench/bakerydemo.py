"""The reference server of the HTTP benchmark: wagtail/bakerydemo, measured in the same run as our pages.

Issue 18 states the library's targets as ratios to bakerydemo's search page, because a ratio
measured side by side on one loaded machine travels where milliseconds do not. bench/http_bench.py
starts bakerydemo beside our server (gunicorn, the same number of sync workers, its own
production settings, PostgreSQL) and puts its pages into the same alternating rounds, with the
same wrk settings and the same CPU accounting: its gunicorn tree plus the PostgreSQL backends
whose application_name this module sets in its DATABASE_URL.

bakerydemo is third-party code: this repository holds neither its code nor anything that builds
it. The reference is prepared outside the repository (README.md, "Benchmarks"):

- BAKERYDEMO_DIR (default /work/cache/bakerydemo): a checkout of wagtail/bakerydemo whose
  `.venv/` holds its requirements and gunicorn, with its static files collected; the commit is
  read from git, or from a COMMIT file when the checkout is an archive;
- BAKERYDEMO_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bakerydemo_bench): its
  database, migrated and loaded with its `load_initial_data`;
- BAKERYDEMO=0 skips the reference on purpose.

When anything is missing, `locate()` says what, and the run goes on without the reference (the
ratio targets that need it are reported as not measured). Its search backend is Wagtail's
database backend (its default without ELASTICSEARCH_ENDPOINT), as ours is our database backend;
its cache is its production default without REDIS_URL (local memory); media and static files stay
on local disk (no bucket variables are passed).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from http_client import fetch
from loadgen import ServerCPU

DEFAULT_DIR = "/work/cache/bakerydemo"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bakerydemo_bench"
# Its database connections carry this name, so that their backends' CPU can be found.
APP_NAME = f"bakerydemo-bench-http-{os.getpid()}"
SEARCH_QUERY = "bread"
# Passed through to bakerydemo from our environment; nothing else is (no REDIS_URL, no
# ELASTICSEARCH_ENDPOINT, no bucket or basic-auth variables that would change what it does).
KEEP_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")
SHM = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, as in config/gunicorn.conf.py
FIRST_RENDER_TIMEOUT_S = 300  # the home page's first request renders its images (renditions)


class BakerydemoError(RuntimeError):
    """bakerydemo could not be started or does not answer as expected."""


@dataclass
class Reference:
    directory: Path
    database_url: str
    commit: str
    versions: dict = field(default_factory=dict)

    def describe(self) -> dict:
        return {"status": "measured", "commit": self.commit, "versions": self.versions,
                "database": self.database_url.rsplit("/", 1)[-1], "dir": str(self.directory)}

    def server_spec(self, port: int, workers: int) -> dict:
        """Command, working directory, environment and a path that answers once it is up."""
        sep = "&" if "?" in self.database_url else "?"
        env = {k: os.environ[k] for k in KEEP_ENV if k in os.environ}
        env.update({
            "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.production",
            "DATABASE_URL": f"{self.database_url}{sep}application_name={APP_NAME}",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # The plain-HTTP profile, as for our server (its production default redirects to HTTPS).
            "SECURE_SSL_REDIRECT": "False", "SECURE_HSTS_SECONDS": "0",
        })
        gunicorn = self.directory / ".venv" / "bin" / "gunicorn"
        # Our config/gunicorn.conf.py's values: sync workers, keep-alive 5 s, no max-requests,
        # heartbeat files in /dev/shm, no control socket; a longer timeout for the first render.
        cmd = [str(gunicorn), "bakerydemo.wsgi:application", "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--keep-alive", "5", "--max-requests", "0",
               "--timeout", str(FIRST_RENDER_TIMEOUT_S), "--no-control-socket"]
        if os.path.isdir(SHM):
            cmd += ["--worker-tmp-dir", SHM]
        return {"cmd": cmd, "cwd": self.directory, "env": env, "port": port, "probe": "/static/css/main.css"}

    def targets(self, base: str) -> list[dict]:
        """Its search, home and a blog page; each is rendered once first (the home page's images
        are made on the first request and kept), and the search must find something."""
        for path in ("/", f"/search/?q={SEARCH_QUERY}", "/blog/"):
            fetch(base, path, timeout=FIRST_RENDER_TIMEOUT_S)
        _s, _h, body = fetch(base, f"/search/?q={SEARCH_QUERY}")
        found = re.search(r"(\d+) results? found", body.decode("utf-8", "replace"))
        if not found or int(found.group(1)) == 0:
            raise BakerydemoError(f"its search for {SEARCH_QUERY!r} finds nothing")
        _s, _h, body = fetch(base, "/blog/")
        blog = re.search(r'href="(/blog/(?!tags/)[\w-]+/)"', body.decode("utf-8", "replace"))
        if not blog:
            raise BakerydemoError("its blog index lists no blog page")
        fetch(base, blog.group(1), timeout=FIRST_RENDER_TIMEOUT_S)
        return [
            {"key": "bakerydemo_search", "what": f"bakerydemo: search, q={SEARCH_QUERY} ({found.group(1)} results)",
             "path": f"/search/?q={SEARCH_QUERY}", "expect": ["search__results"]},
            {"key": "bakerydemo_home", "what": "bakerydemo: home page", "path": "/", "expect": ["</html>"]},
            {"key": "bakerydemo_blog", "what": "bakerydemo: blog page", "path": blog.group(1),
             "expect": ["</html>"]},
        ]


def start(reference: Reference, server_cls, args, pids_of, info: dict) -> tuple[object | None, list[dict]]:
    """bakerydemo's server (an http_bench.Server) and its targets, each with its base URL and its
    ServerCPU; when it does not start or answer, the run goes on without it and `info` says why."""
    spec = reference.server_spec(_free_port(), args.workers)
    server = server_cls(spec["env"], args.out.parent / "http-bakerydemo.log", port=spec["port"], cmd=spec["cmd"],
                        cwd=spec["cwd"], probe=spec["probe"])
    try:
        server.start()
        tlist = reference.targets(server.base)
    except (RuntimeError, OSError) as exc:  # the harness's BenchError, BakerydemoError, a refused connection
        server.stop()
        # Keys set one by one: the state-writer scan (tests/cases/test_workflow_core.py) takes a
        # dict's update with a status keyword for a case's state written outside the workflow.
        info["status"] = "failed"
        info["reason"] = f"it did not start or answer as expected: {exc}"[:600]
        print(f"bakerydemo reference: {info['reason']}", file=sys.stderr, flush=True)
        return None, []
    cpu = ServerCPU(server.proc.pid, db_pids=pids_of(APP_NAME))
    for t in tlist:
        t.update(base=server.base, cpu=cpu)
    return server, tlist


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _commit(directory: Path) -> str:
    try:
        out = subprocess.run(["git", "-C", str(directory), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except OSError:
        pass
    stamp = directory / "COMMIT"
    return stamp.read_text().strip() if stamp.exists() else "unknown"


def _versions(python: Path) -> dict:
    code = ("import json, platform, django, wagtail, gunicorn, psycopg; print(json.dumps({'python': "
            "platform.python_version(), 'django': django.__version__, 'wagtail': wagtail.__version__, "
            "'gunicorn': gunicorn.__version__, 'psycopg': psycopg.__version__}))")
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise BakerydemoError(f"its virtualenv does not import: {out.stderr.strip()[-300:]}")
    return json.loads(out.stdout)


def _live_pages(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url, connect_timeout=5, application_name="bakerydemo-bench-probe") as conn:
        return conn.execute("SELECT count(*) FROM wagtailcore_page WHERE live").fetchone()[0]


def locate() -> tuple[Reference | None, str]:
    """The prepared reference, or None and the reason it is not measured."""
    if os.environ.get("BAKERYDEMO", "1").strip().lower() in {"0", "no", "off", "false"}:
        return None, "skipped (BAKERYDEMO=0)"
    directory = Path(os.environ.get("BAKERYDEMO_DIR") or DEFAULT_DIR)
    needed = [directory / "manage.py", directory / ".venv" / "bin" / "gunicorn",
              directory / "bakerydemo" / "collect_static" / "staticfiles.json"]
    missing = [str(p) for p in needed if not p.exists()]
    if missing:
        return None, (f"not prepared in {directory} (missing {', '.join(missing)}); set BAKERYDEMO_DIR, "
                      "see README.md, Benchmarks")
    database_url = os.environ.get("BAKERYDEMO_DATABASE_URL") or DEFAULT_DB
    try:
        pages = _live_pages(database_url)
    except Exception as exc:  # noqa: BLE001 - any failure means: no reference, and why
        return None, f"its database {database_url.rsplit('/', 1)[-1]} is not usable ({type(exc).__name__}: {exc})"
    if pages < 10:
        return None, f"its database {database_url.rsplit('/', 1)[-1]} holds no demo data (run its load_initial_data)"
    try:
        versions = _versions(directory / ".venv" / "bin" / "python")
    except (OSError, ValueError, BakerydemoError, subprocess.TimeoutExpired) as exc:
        return None, f"its virtualenv in {directory} is not usable ({exc})"
    return Reference(directory, database_url, _commit(directory), versions), "found"
