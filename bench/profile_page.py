"""Profile one page in-process with production settings (how the slow pages were found).

    BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/profile_page.py /cases/123/ [-n 20] [--secretariat]

Runs the request through Django's test client (the whole middleware stack) `-n` times after one
warm-up, prints the mean wall time, the SQL queries of one request (count and the slowest), and
cProfile's top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/casebook_bench"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--secretariat", action="store_true", help="signed in as the benchmark secretariat")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key (cumulative, tottime, ...)")
    parser.add_argument("--queries", action="store_true", help="print every query of one request")
    args = parser.parse_args()
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB),
        "SECRET_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0",
        "RATE_LIMIT_SEARCH_PER_MINUTE": "1000000000",
    })
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("createcachetable")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if args.secretariat:
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username="bench-secretariat"))
    response = client.get(args.path)
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    with CaptureQueriesContext(connection) as ctx:
        client.get(args.path)
    print(f"{args.path}: {len(ctx.captured_queries)} queries")
    slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    for q in (ctx.captured_queries if args.queries else slowest[:8]):
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
    # CPU, not wall time: the machine may be busy. The database's share is its backend's CPU.
    sys.path.insert(0, str(ROOT / "bench"))
    from loadgen import CLOCK_TICKS, backend_cpu_ticks

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    db_before, cpu_before = backend_cpu_ticks([backend]).get(backend, 0), time.process_time()
    for _ in range(args.n):
        client.get(args.path)
    app_ms = (time.process_time() - cpu_before) * 1000 / args.n
    db_ms = (backend_cpu_ticks([backend]).get(backend, 0) - db_before) * 1000 / CLOCK_TICKS / args.n
    print(f"CPU per request (no profiler): app {app_ms:.1f} ms + database {db_ms:.1f} ms = {app_ms + db_ms:.1f} ms")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.n):
        client.get(args.path)
    profiler.disable()
    print(f"mean {(time.perf_counter() - started) * 1000 / args.n:.1f} ms per request (wall, in-process, profiled)")
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
