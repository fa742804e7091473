"""Make sure the benchmark database exists, is migrated and holds the load dataset (make bench).

    .venv/bin/python bench/bench_db.py

BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/casebook_bench) is created when
missing and migrated; when it holds no case, `manage.py generate_load_data --cases BENCH_CASES
--published BENCH_PUBLISHED` (100,000 and 10,000) fills it. A database that already holds cases
is used as it is (the generator is not run twice over the same data).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/casebook_bench"


def ensure_server(url: str) -> None:
    """Start the local PostgreSQL cluster if it is down, as .ci/run does."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", str(parts.port or 5432)
    ready = ["pg_isready", "-h", host, "-p", port, "-q"]
    if subprocess.run(ready, check=False).returncode == 0:
        return
    if host not in ("127.0.0.1", "localhost") or not Path("/etc/postgresql").is_dir():
        raise SystemExit(f"PostgreSQL at {host}:{port} does not answer")
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
    for _ in range(30):
        if subprocess.run(ready, check=False).returncode == 0:
            return
        time.sleep(1)
    raise SystemExit("PostgreSQL did not start")


def ensure_database(url: str) -> bool:
    """Create the database when missing; True when it was created."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created database {name}")
        return True


def case_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]


def analyse(url: str) -> None:
    """`VACUUM (ANALYZE)`: planner statistics, and the visibility map that index-only scans need.
    A freshly loaded or re-indexed database has neither (the batch benchmark rewrites the
    posting table), and its plans are up to ten times slower than what a live site gets once
    autovacuum has run; this puts the database in that steady state before measuring."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def manage(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    cases = int(os.environ.get("BENCH_CASES", "100000"))
    published = int(os.environ.get("BENCH_PUBLISHED", "10000"))
    ensure_server(url)
    ensure_database(url)
    manage(url, "migrate", "--noinput", "--verbosity", "0")
    existing = case_count(url)
    if existing == 0:
        print(f"generating the load dataset: {cases} cases, {published} published (this takes a while)", flush=True)
        started = time.monotonic()
        # More campaigns make room for more published cases (at most 45 % of a finished campaign's).
        campaigns = ["--campaigns", os.environ["BENCH_CAMPAIGNS"]] if os.environ.get("BENCH_CAMPAIGNS") else []
        manage(url, "generate_load_data", "--cases", str(cases), "--published", str(published), *campaigns)
        print(f"generated in {time.monotonic() - started:.0f} s")
    else:
        print(f"benchmark database holds {existing} cases: used as it is")
        if existing < cases:
            print(f"  (fewer than BENCH_CASES={cases}; drop the database to regenerate it)")
    started = time.monotonic()
    analyse(url)
    print(f"vacuumed and analysed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
