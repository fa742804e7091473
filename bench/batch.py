"""Batch operations against the targets of issue 9: ranking a 5,000-case campaign, a full
database reindex of 10,000 published cases, importing 10,000 rows.

    .venv/bin/python bench/batch.py              # all three (ranking 5 runs, reindex and import 2), writes bench/results/batch.json
    .venv/bin/python bench/batch.py --only import --heavy-runs 1 --import-rows 2000 --no-write

The database is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/casebook_bench),
which may hold the 100,000-case dataset: this script only ever touches its own campaigns (slugs
`bench-batch-*`) and its own user, so it can run beside that dataset and be run again. Its data
enters through the real code paths: published cases through `import_cases` (that is
`workflow.import_published`), the in-review campaign through the workflow's transitions and
`save_review`. Timings are wall-clock medians on this machine, database included.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project root instead of bench/ itself: modules beside this script must not shadow the
# standard library (bench/http.py would hide `http`).
sys.path[0] = str(ROOT)
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casebook_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

# Production-like: no query log kept in memory, no e-mail to the console.
settings.DEBUG = False
settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

from bench import batch_data  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "batch.json"
TARGETS = {"ranking": 2.0, "reindex": 60.0, "import": 120.0}
NOTES = (ROOT / "bench" / "batch_notes.md")


class Clock:
    """Wall time, this process's CPU time and its PostgreSQL backend's CPU time (read from
    /proc when the database runs on this machine): the issue's targets are server CPU.

    The database side also counts the CPU of PostgreSQL processes that ended during the run
    (the postmaster's reaped children): a full rebuild builds its indexes with parallel
    workers, whose time is not the backend's own. Nothing else uses the benchmark database
    while this runs, so that adds the rebuild's workers (and any autovacuum worker that
    finished meanwhile, work the run caused)."""

    def __init__(self) -> None:
        self.pid = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]

    @staticmethod
    def _stat(pid) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    def db_cpu(self) -> float | None:
        try:
            own = self._stat(self.pid)
            postmaster = self._stat(int(own[1]))
        except (OSError, IndexError, TypeError, ValueError):
            return None
        ticks = int(own[11]) + int(own[12]) + int(postmaster[13]) + int(postmaster[14])
        return ticks / os.sysconf("SC_CLK_TCK")

    def measure(self, fn: Callable[[], object]) -> dict:
        db0, cpu0, wall0 = self.db_cpu(), time.process_time(), time.perf_counter()
        fn()
        wall, cpu, db1 = time.perf_counter() - wall0, time.process_time() - cpu0, self.db_cpu()
        db = db1 - db0 if db0 is not None and db1 is not None else None
        return {"wall": wall, "app_cpu": cpu, "db_cpu": db, "cpu": cpu + (db or 0.0)}


def timed(fn: Callable[[], object], runs: int, before: Callable[[], object] | None = None) -> list[dict]:
    """Per run: wall and CPU seconds of `fn`; `before` (not measured) resets what a run changes."""
    out = []
    for _ in range(runs):
        if before is not None:
            before()
        clock = Clock()  # after `before`: the backend is the one the run uses
        out.append(clock.measure(fn))
    return out


def row(what: str, key: str, runs: list[dict]) -> dict:
    """`median` is server CPU (this process + its database backend); wall time beside it."""
    med = {k: statistics.median(r[k] for r in runs) for k in ("wall", "app_cpu", "cpu")}
    db = [r["db_cpu"] for r in runs if r["db_cpu"] is not None]
    print(f"{what}: CPU median {med['cpu']:.2f} s (app {med['app_cpu']:.2f}, database "
          f"{statistics.median(db) if db else float('nan'):.2f}), wall median {med['wall']:.2f} s, "
          f"{len(runs)} run(s): wall {[round(r['wall'], 1) for r in runs]}", flush=True)
    return {"what": what, "median": round(med["cpu"], 3), "unit": "s", "target": TARGETS[key],
            "met": med["cpu"] <= TARGETS[key], "runs": len(runs),
            "measure": "server CPU (app process + its PostgreSQL backend)" if db else "app process CPU",
            "wall_median": round(med["wall"], 3), "app_cpu_median": round(med["app_cpu"], 3),
            "db_cpu_median": round(statistics.median(db), 3) if db else None}


def bench_ranking(args) -> list[dict]:
    from cases.review.ranking import ranking

    campaign, staff = batch_data.ranking_campaign(args.ranking_cases, args.reviews, log=print)
    rows = []
    for method in ("mean", "trimmed_mean", "normalised"):
        campaign.aggregation = method

        def run() -> None:
            out = ranking(campaign=campaign, by=staff)
            assert len(out) == args.ranking_cases and out[0].rank == 1, "unexpected ranking"

        times = timed(run, args.runs)
        rows.append(row(f"排名：{args.ranking_cases} 件案例 × {args.reviews} 份评分，{method}", "ranking", times))
    return rows


def bench_reindex(args) -> list[dict]:
    """The real `search_reindex --backend database` when the database holds a dataset of
    published cases (the 100,000-case dataset has 10,000): its index is rewritten unchanged.
    Otherwise the benchmark's own campaign of `--index-cases` cases, reindexed on its own."""
    from search.extract import searchable_cases
    from search.maintenance import reindex
    from search.models import CaseIndex

    batch_data.clear_campaign(batch_data.import_campaign(log=print)[0])  # no leftovers of an import
    dataset = searchable_cases().exclude(campaign__slug__startswith="bench-batch-").count()
    if dataset:
        expected = searchable_cases().count()
        scope = None
    else:
        campaign = batch_data.published_campaign(args.index_cases, log=print)
        scope, expected = batch_data.searchable_in(campaign), args.index_cases

    def run() -> None:
        done = reindex("database", cases=scope)
        assert done == expected, f"reindexed {done}"

    times = timed(run, args.heavy_runs)
    what = "search_reindex（数据库后端，全量）" if scope is None else "重建数据库索引（本基准的活动）"
    result = row(f"全量重建数据库索引：{expected} 件已发布案例，{what}", "reindex", times)
    ids = (scope if scope is not None else searchable_cases().exclude(campaign__slug=batch_data.IMPORT_SLUG)).values("pk")
    indexed = CaseIndex.objects.filter(pk__in=ids).count()
    assert indexed == expected, f"{indexed} of {expected} in the index"
    return [result]


def bench_import(args, workdir: Path) -> list[dict]:
    from django.core.management import call_command

    campaign, staff = batch_data.import_campaign(log=print)
    path = batch_data.write_jsonl(workdir / "import.jsonl", campaign, args.import_rows, seed=29)
    rows = []

    def run() -> None:
        call_command("import_cases", str(path), "--by", staff.username, "--no-progress", verbosity=0)
        assert campaign.cases.count() == args.import_rows

    times = timed(run, args.heavy_runs, before=lambda: batch_data.clear_campaign(campaign))
    rows.append(row(f"导入 {args.import_rows} 行（JSONL，全部或全不）", "import", times))
    if args.xlsx:
        xlsx = batch_data.write_xlsx(workdir / "import.xlsx", path)
        times = timed(
            lambda: call_command("import_cases", str(xlsx), "--by", staff.username, "--no-progress", verbosity=0),
            args.heavy_runs, before=lambda: batch_data.clear_campaign(campaign),
        )
        rows.append(row(f"导入 {args.import_rows} 行（.xlsx，全部或全不）", "import", times))
    batch_data.clear_campaign(campaign)
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {batch_data.database_version()}"


def write(rows: list[dict], only: set[str]) -> None:
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    keep = [r for r in previous.get("rows", []) if _kind(r["what"]) not in only]
    order = {"排名": 0, "全量": 1, "导入": 2}
    result = {
        "section": "Batch operations",
        "order": 20,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "dataset": batch_data.dataset_description(),
        "machine": machine(),
        "rows": sorted(keep + rows, key=lambda r: order.get(r["what"][:2], 9)),
        "notes_md": NOTES.read_text(encoding="utf-8") if NOTES.exists() else "",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


def _kind(what: str) -> str:
    return {"排名": "ranking", "全量": "reindex", "导入": "import"}.get(what[:2], "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["ranking", "reindex", "import"], action="append")
    parser.add_argument("--runs", type=int, default=5, help="runs of the ranking (each method)")
    parser.add_argument("--heavy-runs", type=int, default=2, help="runs of the reindex and of the import")
    parser.add_argument("--ranking-cases", type=int, default=5000)
    parser.add_argument("--reviews", type=int, default=5)
    parser.add_argument("--index-cases", type=int, default=10_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--xlsx", action="store_true", help="also time the same rows as an .xlsx workbook")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results/batch.json alone")
    args = parser.parse_args()
    only = set(args.only or ["ranking", "reindex", "import"])
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="casebook-batch-") as tmp:
        if "ranking" in only:
            rows += bench_ranking(args)
        if "reindex" in only:
            rows += bench_reindex(args)
        if "import" in only:
            rows += bench_import(args, Path(tmp))
    if not args.no_write:
        write(rows, only)


if __name__ == "__main__":
    main()
