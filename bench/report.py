"""Render docs/performance.md from every bench/results/*.json (written by the bench scripts).

    .venv/bin/python bench/report.py [--out docs/performance.md]

Each results file is one section: {"section", "order", "measured_at", "dataset", "rows": [...],
"notes_md"}; a row has "what", "median", "unit" and optionally "target", "met", "p50_ms",
"p99_ms", "rps", "cpu_ms_per_req", "ratio_to_reference", "ratio_to_bakerydemo_search", "runs".
Missing keys are shown as –. A section may add "ratio_targets" ({"what", "ratio", "limit", "met"}:
targets stated as ratios of two rows measured in the same run) and "reference" (the reference
server: bakerydemo's commit and versions, or why it was not measured).
The header describes the machine and the benchmark database (BENCH_DATABASE_URL).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTTP_NOTES = ROOT / "bench" / "notes" / "http.md"
RESULTS = ROOT / "bench" / "results"
OUT = ROOT / "docs" / "performance.md"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/casebook_bench"

# (column title, row key, format); a column is shown when any row of the section has its key.
COLUMNS = [
    ("target", "target", "{:g}"),
    ("met", "met", None),
    ("p50 ms", "p50_ms", "{:.2f}"),
    ("p99 ms", "p99_ms", "{:.2f}"),
    ("req/s", "rps", "{:.1f}"),
    ("CPU ms/req", "cpu_ms_per_req", "{:.2f}"),
    ("app / db CPU ms", None, None),
    ("CPU ratio to static file", "ratio_to_reference", "×{:g}"),
    ("CPU ratio to bakerydemo search", "ratio_to_bakerydemo_search", "×{:g}"),
    ("req/s ratio to static file", "rps_ratio_to_reference", "{:.3f}"),
    ("runs", "runs", "{:d}"),
]


def _read(path: Path, key: str, default: str = "") -> str:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return default


def machine() -> dict:
    mem_kb = _read(Path("/proc/meminfo"), "MemTotal", "0 kB").split()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _read(Path("/proc/cpuinfo"), "model name", platform.processor() or "unknown"),
        "memory_gib": round(int(mem_kb) / 1024 / 1024, 1) if mem_kb.isdigit() else None,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def database(url: str) -> dict:
    """PostgreSQL's version and the dataset's size, or what went wrong."""
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=5, application_name="casebook-bench-report") as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            row = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE status = 'published') FROM cases_case"
            ).fetchone()
            campaigns = conn.execute("SELECT count(*) FROM cases_campaign").fetchone()[0]
        return {"postgresql": version, "cases": row[0], "published": row[1], "campaigns": campaigns,
                "name": url.rsplit("/", 1)[-1]}
    except Exception as exc:  # noqa: BLE001 - the report still renders the results files
        return {"error": f"{type(exc).__name__}: {exc}".strip(), "name": url.rsplit("/", 1)[-1]}


def _cell(row: dict, key: str | None, fmt: str | None, title: str) -> str:
    if title == "app / db CPU ms":
        app, db = row.get("app_cpu_ms_per_req"), row.get("db_cpu_ms_per_req")
        return f"{app:.2f} / {db:.2f}" if app is not None and db is not None else "–"
    value = row.get(key)
    if value is None:
        return "–"
    if key == "met":
        return "✓" if value else "✗"
    try:
        return fmt.format(value) if fmt else str(value)
    except (ValueError, TypeError):
        return str(value)


def _median(row: dict) -> str:
    value, unit = row.get("median"), row.get("unit", "")
    if value is None:
        return "–"
    text = f"{value:,.2f}" if isinstance(value, float) else str(value)
    return f"{text} {unit}".strip()


def _ratio(goal: dict) -> str:
    return "–" if goal.get("ratio") is None else f"×{goal['ratio']:g}"


def _met(goal: dict) -> str:
    return "not measured" if goal.get("met") is None else ("✓" if goal["met"] else "✗")


def section(data: dict) -> str:
    rows = data.get("rows") or []
    shown = [c for c in COLUMNS if any(
        (r.get(c[1]) is not None) if c[1] else (r.get("app_cpu_ms_per_req") is not None) for r in rows)]
    if all(r.get("cpu_ms_per_req") == r.get("median") for r in rows):  # the median already is it
        shown = [c for c in shown if c[1] != "cpu_ms_per_req"]
    head = ["what", "median", *[c[0] for c in shown]]
    lines = [f"## {data.get('section', 'untitled')}", ""]
    meta = [x for x in (f"measured {data['measured_at']}" if data.get("measured_at") else "",
                        f"dataset: {data['dataset']}" if data.get("dataset") else "") if x]
    if meta:
        lines += ["*" + "; ".join(meta) + "*", ""]
    if rows:
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
        for r in rows:
            cells = [str(r.get("what", "?")).replace("|", "\\|"), _median(r)]
            cells += [_cell(r, key, fmt, title) for title, key, fmt in shown]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    goals = data.get("ratio_targets") or []
    if goals:
        lines += ["| ratio target (same run) | ratio | limit | met |", "|---|---:|---:|:---:|"]
        lines += [f"| {g['what']} | {_ratio(g)} | ≤ {g['limit']:g}× | {_met(g)} |" for g in goals]
        lines.append("")
    if data.get("notes_md"):
        # Results written before the notes moved here carry them: only the run's own paragraphs.
        lines += [data["notes_md"].split("\n### ", 1)[0].strip(), ""]
    if data.get("_file") == "http.json" and HTTP_NOTES.exists():
        # What was profiled and changed: written by hand, shown once (under the main HTTP section).
        lines += [HTTP_NOTES.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)


def summary(sections: list[dict]) -> str:
    """Every row with a target and every ratio target, in one table: issues 9's and 18's targets at a glance."""
    rows = [(s.get("section", ""), r) for s in sections for r in s.get("rows") or [] if r.get("target") is not None]
    goals = [(s.get("section", ""), g) for s in sections for g in s.get("ratio_targets") or []]
    if not rows and not goals:
        return ""
    lines = ["## Targets at a glance", "", "| section | what | median | target | met |", "|---|---|---:|---:|:---:|"]
    def short(name: str) -> str:
        """"HTTP: pages under gunicorn (…), 10,000 published" → "HTTP, 10,000 published"."""
        head, _, rest = name.partition(":")
        tail = rest.rsplit(")", 1)[1] if ")" in rest else ""
        return head + tail

    for name, r in rows:
        unit = r.get("unit", "")
        lines.append(f"| {short(name)} | {r.get('what', '?')} | {_median(r)} | ≤ {r['target']:g} {unit} | "
                     f"{_cell(r, 'met', None, 'met')} |")
    for name, g in goals:
        lines.append(f"| {short(name)} | {g['what']} | {_ratio(g)} | ≤ {g['limit']:g}× | {_met(g)} |")
    return "\n".join(lines) + "\n"


def reference_intro(sections: list[dict]) -> list[str]:
    """How the reference server of the HTTP section was built, or why it is missing."""
    ref = next((s["reference"] for s in sections if s.get("reference")), None)
    if ref is None:
        if not any(s.get("_file") == "http.json" for s in sections):
            return []
        return ["**Reference**: the HTTP results below predate the wagtail/bakerydemo reference (README.md, "
                "\"Benchmarks\"); the next `make bench` measures it beside them unless `BAKERYDEMO=0`.", ""]
    if ref.get("status") != "measured":
        return [f"**Reference**: wagtail/bakerydemo was not measured in this run: {ref.get('reason', 'unknown')}.", ""]
    v = ref.get("versions", {})
    return [
        f"**Reference**: wagtail/bakerydemo at commit `{ref.get('commit', 'unknown')}` (Python {v.get('python')}, "
        f"Django {v.get('django')}, Wagtail {v.get('wagtail')}), its demo data, its production settings, "
        "Wagtail's database search backend, served beside ours by gunicorn with the same workers and measured "
        "in the same rounds (README.md, \"Benchmarks\", says how it is prepared; `BAKERYDEMO=0` skips it).",
        "",
    ]


def render(results: Path = RESULTS, db_url: str | None = None) -> str:
    sections = []
    for path in sorted(results.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"skipping {path.name}: {exc}", file=sys.stderr)
            continue
        if isinstance(data, dict) and "rows" in data:
            data["_file"] = path.name
            sections.append(data)
    sections.sort(key=lambda d: (d.get("order", 100), d.get("section", "")))
    m = machine()
    db = database(db_url or os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    if "error" in db:
        dataset = f"`{db['name']}` unavailable ({db['error']})"
        pg = "unknown"
    else:
        dataset = (f"`{db['name']}`: {db['cases']:,} cases, {db['published']:,} published, "
                   f"{db['campaigns']:,} campaigns")
        pg = db["postgresql"]
    out = [
        "# Performance",
        "",
        "Generated by `make bench` (bench/report.py renders every `bench/results/*.json`); do not edit by hand.",
        "Targets are issue 9's (CPU ms per request) and issue 18's (ratios of CPU per request measured in",
        "the same run, to the static file and to wagtail/bakerydemo's search page). Tests never assert",
        "timings; they assert query counts.",
        "",
        *reference_intro(sections),
        f"- **Date**: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- **Machine**: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB memory; {m['os']}",
        f"- **Software**: Python {m['python']}, PostgreSQL {pg}",
        f"- **Dataset**: {dataset}",
        "",
        "The machine is shared with the load generator (and, during development, other work), so",
        "latency and req/s are indicative; CPU per request and the ratios travel better.",
        "",
    ]
    glance = summary(sections)
    if glance:
        out.append(glance)
    for data in sections:
        out.append(section(data))
    if not sections:
        out.append("No results yet: run `make bench`.\n")
    return "\n".join(out).rstrip() + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    text = render(args.results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
