"""HTTP benchmark: the site with production settings under gunicorn, driven by wrk on 127.0.0.1.

    .venv/bin/python bench/http_bench.py [--rounds 5] [--seconds 5] [--quick]

Starts `gunicorn -c config/gunicorn.conf.py` (2 workers) on a free loopback port against
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/casebook_bench), signs in a
secretariat account through the real login form, checks every target answers 200 with its
real content (a redirect to the login or a 429 stops the run), warms up, then runs alternating
rounds (the order rotated each round) over the targets. For each run it records wrk's requests,
rps and latency percentiles, and the CPU time of the gunicorn tree and of the PostgreSQL
backends serving it. When wagtail/bakerydemo is prepared (bench/bakerydemo.py; BAKERYDEMO=0
skips it), it is served beside ours and its pages join the same rounds: every row gets its CPU
ratio to bakerydemo's search, and issue 18's ratio targets are checked. Writes
bench/results/http.json (rendered by bench/report.py).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import bakerydemo
import http_setup
from http_client import fetch, sign_in
from loadgen import ServerCPU, ensure_wrk, run_wrk

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results" / "http.json"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/casebook_bench"
# The server's database connections carry this name, so that their backends' CPU can be found;
# one per harness process, so that two benchmarks on one database never count each other's.
APP_NAME = f"casebook-bench-http-{os.getpid()}"
# Targets of issue 9 (server CPU ms per request, gunicorn + PostgreSQL, database search backend).
TARGETS_MS = {"case": 10.0, "library_q_facets": 40.0, "admin_cases": 50.0}
# Targets of issue 18, as ratios of CPU ms/req measured in the same run:
# (row, reference row, at most this many times, datasets it applies to: "10k" = fewer than
# 50,000 published cases, "100k" = more, None = any).
RATIO_TARGETS = [
    ("library_q", "library_q_facets", 1.0, None),
    ("library_q", "bakerydemo_search", 0.5, "10k"),
    ("library_q", "bakerydemo_search", 1.0, "100k"),
    ("library_q_facets", "bakerydemo_search", 0.5, "10k"),
    ("home", "static", 25.0, None),
]


class BenchError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, port: int, workers: int) -> dict:
    """Production settings with the plain-HTTP benchmark profile (README.md, Benchmarks)."""
    sep = "&" if "?" in database_url else "?"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"{database_url}{sep}application_name={APP_NAME}",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0",
        # The limiter still runs on every request; its limits are out of reach of the load.
        "RATE_LIMIT_SEARCH_PER_MINUTE": "1000000000", "RATE_LIMIT_SIGNIN_PER_MINUTE": "1000",
        "ELASTICSEARCH_URL": "",
        "PORT": str(port), "BIND_HOST": "127.0.0.1", "WEB_CONCURRENCY": str(workers),
        "ACCESS_LOG": "0", "GUNICORN_MAX_REQUESTS": "0",
    }


class Server:
    """gunicorn in its own process group, stopped by that group's id (ours by default; bakerydemo
    with its own command, directory and environment)."""

    def __init__(self, env: dict, log: Path, *, port: int | None = None, cmd: list[str] | None = None,
                 cwd: Path = ROOT, probe: str = "/static/website/site.css"):
        self.env, self.log, self.cwd, self.probe = env, log, cwd, probe
        self.port = port or int(env["PORT"])
        self.cmd = cmd or [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py"]
        self.proc: subprocess.Popen | None = None

    def prepare(self) -> None:
        """What `make serve` does before starting: static files and the database cache tables."""
        for command in (["collectstatic", "--noinput", "--verbosity", "0"], ["createcachetable", "--verbosity", "0"]):
            subprocess.run([str(VENV_BIN / "python"), "manage.py", *command], cwd=ROOT, env=self.env, check=True)

    def start(self, timeout: float = 60) -> None:
        self._logfile = self.log.open("w")
        self.proc = subprocess.Popen(self.cmd, cwd=self.cwd, env=self.env, stdout=self._logfile,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.proc.returncode}):\n{self.log.read_text()[-3000:]}")
            try:
                status, _h, _b = fetch(self.base, self.probe)
                if status:
                    return
            except OSError:
                time.sleep(0.3)
        raise BenchError("gunicorn did not answer in time:\n" + self.log.read_text()[-3000:])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if getattr(self, "_logfile", None):
            self._logfile.close()


def db_backend_pids(database_url: str):
    """A function making, for an application_name, a function listing the PostgreSQL backends of
    that server's connections (pg_stat_activity covers every database of the cluster)."""
    import psycopg

    conn = psycopg.connect(database_url, autocommit=True, application_name="casebook-bench-probe")

    def pids_of(app_name: str):
        def pids() -> list[int]:
            rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [app_name])
            return [r[0] for r in rows.fetchall()]
        return pids

    return pids_of, conn


def targets(setup: dict, static_path: str) -> list[dict]:
    """(key, label, path, headers, expected fragments) of every measured page."""
    facets = setup["facets"]
    q = setup["query"]
    return [
        {"key": "static", "what": "static file (reference)", "path": static_path, "expect": ["{"]},
        {"key": "home", "what": "home page", "path": "/", "expect": ["</html>"]},
        {"key": "library", "what": "library, no query", "path": "/cases/", "expect": ['class="result"']},
        {"key": "library_q", "what": f"library, q={q}", "path": "/cases/?" + urlencode({"q": q}),
         "expect": ['class="result"', "<mark>"]},
        {"key": "library_q_facets", "what": f"library, q={q} + {' + '.join(facets)}",
         "path": "/cases/?" + urlencode({"q": q, **facets}), "expect": ['class="result"', "<mark>"]},
        {"key": "case", "what": "case page", "path": f"/cases/{setup['case']['id']}/",
         "expect": [html.escape(setup["case"]["title"])]},
        {"key": "campaign", "what": "campaign page", "path": f"/campaigns/{setup['campaign']['slug']}/",
         "expect": [html.escape(setup["campaign"]["title"])]},
        {"key": "admin_cases", "what": "admin case list (secretariat)", "path": "/admin/cases/",
         "expect": ["/admin/cases/inspect/"], "signed_in": True},
    ]


def check(target: dict, headers: dict) -> int:
    """200 with the expected content, or stop the run: measuring a login page or a 429 is no use."""
    status, resp_headers, body = fetch(target["base"], target["path"], headers=headers)
    text = body.decode("utf-8", "replace")
    if status != 200:
        raise BenchError(f"{target['what']}: HTTP {status} {resp_headers.get('location', '')} for {target['path']}")
    missing = [e for e in target["expect"] if e not in text]
    if missing or 'name="password"' in text:
        raise BenchError(f"{target['what']}: the page lacks {missing or 'no login form'} ({target['path']})")
    return len(body)


def static_reference(base: str) -> str:
    """The stylesheet URL the home page links to (hashed by the manifest storage)."""
    _s, _h, body = fetch(base, "/")
    text = body.decode("utf-8", "replace")
    start = text.find("/static/website/site.")
    if start < 0:
        return "/static/website/site.css"
    end = text.find('"', start)
    return text[start:end]


def measure(tlist: list[dict], headers_for, args) -> dict[str, list[dict]]:
    """Each target on its own server (t["base"]), its CPU read by that server's ServerCPU (t["cpu"])."""
    runs: dict[str, list[dict]] = {t["key"]: [] for t in tlist}
    for t in tlist:  # warm-up: caches, jieba, connections
        run_wrk(t["base"] + t["path"], duration_s=args.warmup, connections=args.connections, threads=args.threads,
                headers=headers_for(t))
    for r in range(args.rounds):
        order = tlist[r % len(tlist):] + tlist[:r % len(tlist)]
        for t in order:
            result, app_ms, db_ms = t["cpu"].measure(
                run_wrk, t["base"] + t["path"], duration_s=args.seconds, connections=args.connections,
                threads=args.threads, headers=headers_for(t),
            )
            if not result["requests"] and not result["errors"]:
                # Nothing finished inside the window (a busy machine): once more, three times longer.
                result, app_ms, db_ms = t["cpu"].measure(
                    run_wrk, t["base"] + t["path"], duration_s=3 * args.seconds, connections=args.connections,
                    threads=args.threads, headers=headers_for(t),
                )
            if result["errors"] or not result["requests"]:
                raise BenchError(f"{t['what']}: {result['errors']} failed requests of {result['requests']}")
            n = result["requests"] + args.connections  # + those in flight at the end (ServerCPU.measure)
            result.update(app_cpu_ms_per_req=app_ms / n, db_cpu_ms_per_req=db_ms / n,
                          cpu_ms_per_req=(app_ms + db_ms) / n, round=r)
            runs[t["key"]].append(result)
            print(f"  round {r + 1}/{args.rounds} {t['what']:<40} {result['rps']:8.1f} req/s  "
                  f"p50 {result['p50_ms']:7.2f} ms  p99 {result['p99_ms']:7.2f} ms  "
                  f"cpu {result['cpu_ms_per_req']:6.2f} ms/req (db {result['db_cpu_ms_per_req']:.2f})", flush=True)
    return runs


def summarise(tlist: list[dict], runs: dict[str, list[dict]], sizes: dict[str, int]) -> list[dict]:
    def med(key: str, field: str) -> float:
        return statistics.median(r[field] for r in runs[key])

    ref_cpu, ref_rps = med("static", "cpu_ms_per_req"), med("static", "rps")
    bakery_cpu = med("bakerydemo_search", "cpu_ms_per_req") if runs.get("bakerydemo_search") else None
    rows = []
    for t in tlist:
        k = t["key"]
        cpu = med(k, "cpu_ms_per_req")
        target = TARGETS_MS.get(k)
        rows.append({
            "what": t["what"], "key": k, "path": t["path"], "unit": "ms",
            "median": round(cpu, 2), "target": target, "met": (cpu <= target) if target is not None else None,
            "cpu_ms_per_req": round(cpu, 2),
            "app_cpu_ms_per_req": round(med(k, "app_cpu_ms_per_req"), 2),
            "db_cpu_ms_per_req": round(med(k, "db_cpu_ms_per_req"), 2),
            "rps": round(med(k, "rps"), 1), "p50_ms": round(med(k, "p50_ms"), 2), "p99_ms": round(med(k, "p99_ms"), 2),
            "ratio_to_reference": round(cpu / ref_cpu, 1) if ref_cpu else None,
            "ratio_to_bakerydemo_search": round(cpu / bakery_cpu, 2) if bakery_cpu else None,
            "rps_ratio_to_reference": round(med(k, "rps") / ref_rps, 3) if ref_rps else None,
            "bytes": sizes.get(k), "runs": len(runs[k]),
        })
    return rows


def ratio_targets(rows: list[dict], published: int) -> list[dict]:
    """Issue 18's targets that apply to this dataset, each with the ratio measured (None, and
    met None, when a side was not measured, e.g. bakerydemo skipped)."""
    scale = "100k" if published >= 50_000 else "10k"
    by_key = {r["key"]: r for r in rows}
    out = []
    for key, ref, limit, applies in RATIO_TARGETS:
        if applies not in (None, scale):
            continue
        a, b = by_key.get(key), by_key.get(ref)
        label = {"library_q": "library, q alone", "library_q_facets": "library, q + 2 facets",
                 "bakerydemo_search": "bakerydemo's search", "static": "the static file", "home": "home page"}
        ratio = a["cpu_ms_per_req"] / b["cpu_ms_per_req"] if a and b and b["cpu_ms_per_req"] else None
        out.append({
            "what": f"{label.get(key, key)} ≤ {limit:g}× {label.get(ref, ref)}" + (f" ({scale})" if applies else ""),
            "key": key, "reference": ref, "limit": limit, "scale": applies,
            "ratio": round(ratio, 2) if ratio is not None else None,
            "met": (ratio <= limit) if ratio is not None else None,
        })
    return out


def notes(args, setup: dict, static_path: str, reference: dict) -> str:
    method = (
        f"gunicorn `config/gunicorn.conf.py`, {args.workers} sync workers, `config.settings.production` "
        f"(plain-HTTP profile: `SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0`, rate limits raised "
        f"out of reach but still evaluated), database search backend; wrk {args.connections} connections, "
        f"{args.threads} thread, on 127.0.0.1; {args.rounds} rounds × {args.seconds} s per page, order rotated each "
        f"round, after a {args.warmup} s warm-up per page. **CPU ms/req** = CPU time (user + system) of the "
        f"gunicorn master and workers plus that of the PostgreSQL backends serving them, during a run, divided by "
        f"the requests served (wrk's count plus the one per connection still in flight at the end, "
        f"which the server finishes before the CPU time is read); the targets apply to it. *ratio* = CPU ms/req ÷ that of the static file "
        f"`{static_path}` served by the same server (WhiteNoise). Latency and req/s are measured with wrk on the "
        f"same 2 cores as the server, so they are bounded by the machine, not only by the code. "
        f"Case page: case {setup['case']['id']}; campaign page: `{setup['campaign']['slug']}` "
        f"({setup['campaign']['published']} published cases); query “{setup['query']}” finds "
        f"{setup['query_total']} cases, {setup['facets_total']} with the two facets {setup['facets']}."
    )
    if reference.get("status") == "measured":
        v = reference["versions"]
        method += (
            f"\n\n**Reference: wagtail/bakerydemo** at commit `{reference['commit'][:12]}` (Python {v['python']}, "
            f"Django {v['django']}, Wagtail {v['wagtail']}, gunicorn {v['gunicorn']}), served beside ours in the "
            f"same rounds by gunicorn with {args.workers} sync workers, `bakerydemo.settings.production` (same "
            f"plain-HTTP profile: `SECURE_SSL_REDIRECT=False SECURE_HSTS_SECONDS=0`), its initial data "
            f"(`load_initial_data`) in PostgreSQL database `{reference['database']}`, Wagtail's database search "
            f"backend (its default without Elasticsearch, as ours is our database backend; gunicorn rather than "
            f"its Procfile's uWSGI, so that both sites run under the same server), its local-memory "
            f"cache (its default without Redis); its CPU is counted the same way (its gunicorn tree plus its "
            f"PostgreSQL backends). Its search records a hit per request (a database write), as it does in "
            f"production. *ratio to bakerydemo search* = CPU ms/req ÷ that of bakerydemo's search page."
        )
    else:
        method += f"\n\n**Reference: wagtail/bakerydemo** not measured: {reference.get('reason', 'unknown')}."
    return method  # bench/notes/http.md is added once, by bench/report.py


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="2 rounds × 2 s (development)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--label", default="", help="added to the report's section title (e.g. the dataset)")
    parser.add_argument("--order", type=int, default=10, help="the section's place in docs/performance.md")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.warmup = 2, 2, 1
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    ensure_wrk()
    print(f"HTTP benchmark against {database_url.rsplit('/', 1)[-1]}: preparing", flush=True)
    setup = http_setup.prepare(database_url)
    env = server_env(database_url, free_port(), args.workers)
    log = args.out.parent / "http-server.log"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    reference, reason = bakerydemo.locate()
    ref_info = reference.describe() if reference else {"status": "skipped", "reason": reason}
    print(f"bakerydemo reference: {reference.commit[:12] if reference else reason}", flush=True)
    server = Server(env, log)
    server.prepare()
    server.start()
    pids_of, probe = db_backend_pids(database_url)
    ref_server = None
    try:
        session = sign_in(server.base, setup["username"], setup["password"])
        static_path = static_reference(server.base)
        cpu = ServerCPU(server.proc.pid, db_pids=pids_of(APP_NAME))
        tlist = [{**t, "base": server.base, "cpu": cpu} for t in targets(setup, static_path)]
        if reference:
            ref_server, ref_targets = bakerydemo.start(reference, Server, args, pids_of, ref_info)
            tlist += ref_targets

        def headers_for(t: dict) -> dict:
            return {"Cookie": session} if t.get("signed_in") else {}

        sizes = {t["key"]: check(t, headers_for(t)) for t in tlist}
        runs = measure(tlist, headers_for, args)
        for t in tlist:  # still the real pages at the end (no expired session, no 429)
            check(t, headers_for(t))
    finally:
        server.stop()
        if ref_server:
            ref_server.stop()
        probe.close()
    rows = summarise(tlist, runs, sizes)
    goals = ratio_targets(rows, setup["counts"]["published"])
    counts = setup["counts"]
    result = {
        # SEARCH_RESULTS_CACHE_SECONDS=0 measures every search answered afresh (search/backends/db_answers.py).
        "section": "HTTP: pages under gunicorn (median = server CPU ms per request)" + (f", {args.label}" if args.label else "")
        + (", search answers not cached" if os.environ.get("SEARCH_RESULTS_CACHE_SECONDS") == "0" else ""),
        "order": args.order + (1 if os.environ.get("SEARCH_RESULTS_CACHE_SECONDS") == "0" else 0),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "dataset": f"{database_url.rsplit('/', 1)[-1]}: {counts['cases']} cases, {counts['published']} published",
        "rows": rows,
        "ratio_targets": goals,
        "reference": ref_info,
        "notes_md": notes(args, setup, static_path, ref_info),
        "config": {k: getattr(args, k) for k in ("rounds", "seconds", "warmup", "connections", "threads", "workers")},
        "raw": runs,
    }
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    for row in rows:
        mark = "" if row["met"] is None else (" ✓" if row["met"] else " ✗")
        print(f"  {row['what']:<40} cpu {row['median']:7.2f} ms/req{mark}  ×{row['ratio_to_reference']} static  "
              f"×{row['ratio_to_bakerydemo_search']} bakerydemo search  {row['rps']:8.1f} req/s  "
              f"p50 {row['p50_ms']} ms  p99 {row['p99_ms']} ms")
    for goal in goals:
        mark = "not measured" if goal["met"] is None else ("✓" if goal["met"] else "✗")
        print(f"  target: {goal['what']:<55} ×{goal['ratio']}  {mark}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"HTTP benchmark failed: {exc}", file=sys.stderr)
        sys.exit(1)
