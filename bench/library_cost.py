"""Library page cost in-process (issue 20: synonym expansion, coverage tiers, typo correction).

    RATE_LIMITS_ENABLED=0 .venv/bin/python bench/library_cost.py [ROUNDS]   # demo data loaded

For each query: the median CPU time of the process (on SQLite, the database's work too: it runs
in-process) for GET /cases/?q=… over ROUNDS runs after one warm-up, and the number of SQL queries.
CPU rather than wall time, so another job on the machine changes the figures less. Run it on two
checkouts (before/after) against the same data.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

QUERIES = [
    "老年人", "农民 手机", "数字乡村", "怎样帮助老人学会用智能手机", "中小企业 数字化转型", "数字",
    "长者 智能手机", "村民 网上卖货", "残障人士 找工作", "适老画", "数字洪沟", "量子 老年人",
]


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("RATE_LIMITS_ENABLED", "0")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    client = Client()
    print(f"{'query':<28} {'CPU ms':>11} {'queries':>8} {'status':>6}")
    total = []
    for q in QUERIES:
        client.get("/cases/", {"q": q})
        times = []
        for _ in range(rounds):
            start = time.process_time()
            response = client.get("/cases/", {"q": q})
            times.append((time.process_time() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get("/cases/", {"q": q})
        median = statistics.median(times)
        total.append(median)
        print(f"{q:<28} {median:>11.1f} {len(queries):>8} {response.status_code:>6}")
    print(f"{'mean of medians':<28} {statistics.mean(total):>11.1f}")


if __name__ == "__main__":
    main()
