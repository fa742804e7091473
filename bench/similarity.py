"""查重 at scale (issue 17): the candidate index over every case, one report, a whole campaign's
reports, and an incremental update after an edit.

    .venv/bin/python bench/similarity.py                      # on BENCH_DATABASE_URL, as make bench
    .venv/bin/python bench/similarity.py --reports 20 --campaign 500 --no-write

The database is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/casebook_bench),
filled by bench/bench_db.py with the generated load data (`generate_load_data`: template-built
texts, half of them the same practice submitted again, which is the hard case for an index: many
shared stock phrases and many true duplicates). Everything runs through the real code:
`similarity.index.update_cases` builds the index, `similarity.services.run_report` checks a case.
CPU is this process's (`time.process_time`: the application server's share); wall time includes
the database on the same machine. A campaign of N reports is run and, when N is smaller than
5,000, extrapolated linearly (said so in the output).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casebook_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

settings.DEBUG = False

from cases.models import Case  # noqa: E402
from cases.states import CaseStatus  # noqa: E402
from similarity import index, services  # noqa: E402
from similarity.models import Fingerprint, IndexedCase, Report  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "similarity.json"
NOTES = (
    "Reports are checked one after another in one process (`services.run_report`, as a `db_worker` "
    "runs them); a second worker on the second core would roughly halve a campaign's time. The cost of "
    "a report does not grow with the number of cases the way a scan would: the candidate lookup reads "
    "only fingerprints shared by at most 100 cases (commoner ones are stock phrases, "
    "`similarity_commonfingerprint`) and alignment is against 40 candidates, so a database ten times "
    "larger adds index depth, not work per report; that is an argument, not a measurement, until "
    "`make bench` runs it on the 100,000-case dataset. See docs/similarity.md."
)
TARGETS = {"report_cpu_s": 2.0, "campaign_5000_s": 600.0}
CAMPAIGN = 5000


class Clock:
    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def analyse() -> None:
    """Planner statistics for the freshly written index (what autovacuum gives a live site; without
    them PostgreSQL scans the whole fingerprint table instead of its index)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("similarity_fingerprint", "similarity_commonfingerprint", "similarity_indexedcase"):
            cursor.execute(f"ANALYZE {table}")


def build_index(batch: int = 1000, *, rebuild: bool = False) -> dict:
    if rebuild:
        IndexedCase.objects.all().delete()
        Fingerprint.objects.all().delete()
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    with Clock() as clock:
        changed = sum(index.update_cases(ids[i : i + batch]) for i in range(0, len(ids), batch))
        common = index.refresh_common()
    analyse()
    return {"cases": len(ids), "indexed_now": changed, "fingerprints": Fingerprint.objects.count(),
            "common_fingerprints": common, "wall_s": round(clock.wall, 1), "cpu_s": round(clock.cpu, 1)}


def one_report(case_id: int) -> tuple[float, float]:
    report = Report.objects.create(case_id=case_id, version=1)
    with Clock() as clock:
        services.run_report(report.pk)
    return clock.cpu, clock.wall


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=30, help="single reports timed (median)")
    parser.add_argument("--campaign", type=int, default=CAMPAIGN, help="reports in the campaign run")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="drop the index first: time a build from scratch")
    args = parser.parse_args()
    rng = random.Random(2026)
    total = Case.objects.count()
    if not total:
        print("no cases: run bench/bench_db.py first (make bench does)")
        return 1
    print(f"查重 benchmark on {total} cases", flush=True)
    built = build_index(rebuild=args.rebuild)
    print(f"index: {built}", flush=True)
    submitted = list(Case.objects.exclude(status=CaseStatus.DRAFT).values_list("pk", flat=True))
    rng.shuffle(submitted)
    samples = [one_report(pk) for pk in submitted[: args.reports]]
    cpu = [s[0] for s in samples]
    wall = [s[1] for s in samples]
    single = {"n": len(samples), "cpu_median_s": round(statistics.median(cpu), 3),
              "cpu_max_s": round(max(cpu), 3), "wall_median_s": round(statistics.median(wall), 3),
              "wall_max_s": round(max(wall), 3)}
    print(f"one report: {single}", flush=True)
    batch = submitted[args.reports : args.reports + args.campaign]
    with Clock() as clock:
        for pk in batch:
            one_report(pk)
    per = clock.wall / max(1, len(batch))
    campaign = {"reports": len(batch), "wall_s": round(clock.wall, 1), "cpu_s": round(clock.cpu, 1),
                "extrapolated_5000_wall_s": round(per * CAMPAIGN, 0), "measured_whole": len(batch) >= CAMPAIGN}
    print(f"campaign: {campaign}", flush=True)
    case = Case.objects.get(pk=submitted[0])
    original = case.outcomes
    case.outcomes = original + "。新增一句用于测量增量更新的文字，使案例正文发生变化。"
    Case.objects.filter(pk=case.pk).update(outcomes=case.outcomes)
    with Clock() as clock:
        index.update_cases([case.pk])
    Case.objects.filter(pk=case.pk).update(outcomes=original)
    index.update_cases([case.pk])
    incremental = {"wall_ms": round(clock.wall * 1000, 1), "cpu_ms": round(clock.cpu * 1000, 1)}
    print(f"incremental update of one edited case: {incremental}")
    report_cpu, report_wall = single["cpu_median_s"], single["wall_median_s"]
    extrapolated = campaign["extrapolated_5000_wall_s"]
    how = "measured" if campaign["measured_whole"] else f"extrapolated from {len(batch)} reports"
    result = {
        "section": "查重 (similarity, issue 17)", "order": 40,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "dataset": f"{total:,} cases ({built['fingerprints']:,} fingerprints, {built['common_fingerprints']:,} common)",
        "rows": [
            {"what": f"one report, app process CPU ({single['n']} reports)", "median": report_cpu, "unit": "s",
             "target": TARGETS["report_cpu_s"], "met": report_cpu <= TARGETS["report_cpu_s"],
             "max": single["cpu_max_s"]},
            {"what": "one report, wall (database included)", "median": report_wall, "unit": "s",
             "max": single["wall_max_s"]},
            {"what": f"5,000 reports one after another ({how})", "median": extrapolated, "unit": "s",
             "target": TARGETS["campaign_5000_s"], "met": extrapolated <= TARGETS["campaign_5000_s"]},
            {"what": (f"index of all {total:,} cases from scratch (wall)" if built["indexed_now"] == total
                      else f"index catch-up: {built['indexed_now']:,} of {total:,} cases changed (wall)"),
             "median": built["wall_s"], "unit": "s"},
            {"what": "incremental update of one edited case (wall)", "median": incremental["wall_ms"], "unit": "ms"},
        ],
        "details": {"index": built, "single_report": single, "campaign": campaign, "incremental": incremental,
                    "machine": platform.node(), "cpu_count": os.cpu_count()},
        "notes_md": NOTES,
    }
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
