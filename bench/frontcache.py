"""Front cache (Varnish) in front of gunicorn: the purge check, then cached pages vs a static file.

    .venv/bin/python bench/frontcache.py [--rounds 3] [--seconds 5] [--quick]

Installs Debian's varnish when it is missing, starts gunicorn with production settings against
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/casebook_bench; the HTTP
benchmark's server, bench/http_bench.py) and its own varnishd (-n in a temporary directory, on
a free port) with deploy/varnish/casebook.vcl in front. This process runs Django against the
same database with FRONTEND_CACHE_URL pointing at that varnishd, so the app's own purges
(website/frontcache.py) are what is checked:

1. the purge check, in the campaign `frontcache-bench` (its own objects only): a case imported
   as published is fetched through Varnish twice (the second a HIT), with the home and campaign
   pages; then another case is published, the first case's title is corrected, and the first
   case is revoked; after each change the pages must show the new state (not the cached one),
   and the revoked case must be a 404. Signed-in visitors and forwarded PURGEs are checked too.
2. wrk through Varnish: the cached home and case pages against the same Varnish serving a
   static file, in alternating rounds. Writes bench/results/frontcache.json; exits 1 when a
   check fails (a stale page served after a change).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from http_bench import DEFAULT_DB, BenchError, Server, free_port, server_env, static_reference
from http_client import fetch
from loadgen import ensure_wrk, run_wrk

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish" / "casebook.vcl"
RESULTS = ROOT / "bench" / "results" / "frontcache.json"
CAMPAIGN_SLUG = "frontcache-bench"
STAFF = "bench-frontcache-staff"
GZIP = {"Accept-Encoding": "gzip"}  # as browsers send; Varnish stores pages gzipped


def ensure_varnish() -> str:
    """varnishd; installs Debian's package when missing and stops the service its postinst starts."""
    found = shutil.which("varnishd") or (Path("/usr/sbin/varnishd").exists() and "/usr/sbin/varnishd")
    if not found:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "varnish"], check=True, env=env)
        for stop in (["service", "varnish", "stop"], ["systemctl", "stop", "varnish"]):
            subprocess.run(stop, check=False, capture_output=True)
        found = shutil.which("varnishd") or "/usr/sbin/varnishd"
    return str(found)


class Varnish:
    """varnishd in the foreground (-F) in its own process group and working directory."""

    def __init__(self, backend_port: int):
        self.workdir = Path(tempfile.mkdtemp(prefix="casebook-varnish-"))
        os.chmod(self.workdir, 0o755)  # noqa: S103 - varnishd's unprivileged child reads it
        self.port = free_port()
        vcl = VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";')
        self.vcl = self.workdir / "casebook.vcl"
        self.vcl.write_text(vcl)
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, varnishd: str, timeout: float = 30) -> None:
        self._log = (self.workdir / "varnishd.log").open("w")
        self.proc = subprocess.Popen(
            [varnishd, "-F", "-n", str(self.workdir / "n"), "-a", f"127.0.0.1:{self.port}", "-f", str(self.vcl),
             "-s", "malloc,256m", "-T", "none"],
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # until the probe finds the backend healthy
            if self.proc.poll() is not None:
                raise BenchError("varnishd exited:\n" + (self.workdir / "varnishd.log").read_text()[-3000:])
            try:
                if fetch(self.base, "/static/website/site.css")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise BenchError("varnishd did not serve the site in time")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if getattr(self, "_log", None):
            self._log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


# --- the app's side, in this process -------------------------------------------------------


def django_setup(database_url: str, cache_base: str, *, purge: bool = True) -> None:
    os.environ.update(DATABASE_URL=database_url, FRONTEND_CACHE_URL=cache_base if purge else "",
                      BASE_URL=cache_base, ELASTICSEARCH_URL="")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    for name in ("wagtail.frontendcache", "django_tasks", "casebook.audit"):  # one line per purged URL, task, event
        logging.getLogger(name).setLevel(logging.WARNING)


def close_db() -> None:
    from django.db import connections

    connections.close_all()


class Cases:
    """Cases of the campaign `frontcache-bench`, through the workflow's services."""

    def __init__(self, token: str):
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from accounts.roles import Role
        from cases.demo.content import THEME_NAMES, generate_cases
        from cases.demo.loader import province_table
        from cases.models import Campaign, CampaignCategory, Region
        from cases.states import CampaignStatus

        self.token = token
        self.staff, _ = get_user_model().objects.get_or_create(username=STAFF, defaults={"role": Role.SECRETARIAT})
        now = timezone.now()
        self.campaign, created = Campaign.objects.get_or_create(slug=CAMPAIGN_SLUG, defaults={
            "title": "前端缓存检查", "year": now.year, "status": CampaignStatus.FINISHED,
            "submission_opens": now, "submission_closes": now + timezone.timedelta(days=1)})
        if created:
            for i, (code, name) in enumerate(THEME_NAMES.items()):
                CampaignCategory.objects.create(campaign=self.campaign, code=code, title=name, sort_order=i)
        self.categories = {c.code: c for c in self.campaign.categories.all()}
        self.regions = Region.objects.in_bulk()
        self.items = iter(generate_cases(4, seed=int(token, 16) % 10_000, provinces=province_table()))
        self.made: list[int] = []

    def publish(self, title: str):
        from cases import workflow

        item = next(self.items)
        fields = {k: v for k, v in item.items()
                  if k not in {"region", "indicators", "category_hint", "period_start", "period_end", "title"}}
        case = workflow.import_published(by=self.staff, campaign=self.campaign, source="前端缓存检查",
                                         region=self.regions[item["region"]],
                                         category=self.categories[item["category_hint"]], title=title, **fields)
        self.made.append(case.pk)
        return case

    def correct_title(self, case_id: int, title: str) -> None:
        """A correction of a published case in place (no edit service exists for published cases:
        this is the save that search/indexing.on_case_saved and website/frontcache follow)."""
        from django.db import transaction

        from cases.models import Case

        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case_id)
            case.title = title
            case.save()

    def revoke(self, case_id: int) -> None:
        from cases import workflow

        workflow.transition(case=case_id, name="revoke", by=self.staff, reason="前端缓存检查结束")

    def clean_up(self) -> None:
        """Revoke what this run published, so no check case stays on the public pages."""
        from cases.models import Case

        for pk in Case.objects.filter(pk__in=self.made, status="published").values_list("pk", flat=True):
            self.revoke(pk)


def sample_case() -> tuple[int, str]:
    """A published case of the dataset outside the check's campaign (the median id)."""
    from cases.models import Case

    ids = Case.objects.filter(status="published").exclude(campaign__slug=CAMPAIGN_SLUG).order_by("pk")
    n = ids.count()
    if not n:
        raise BenchError("the database holds no published case to measure")
    case = ids[n // 2]
    return case.pk, case.title


def dataset(database_url: str) -> str:
    from cases.models import Case

    return (f"{database_url.rsplit('/', 1)[-1]}: {Case.objects.count()} cases, "
            f"{Case.objects.filter(status='published').count()} published")


# --- the purge check -----------------------------------------------------------------------


class Checks:
    def __init__(self, base: str):
        self.base = base
        self.items: list[dict] = []

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, str]:
        status, h, body = fetch(self.base, path, headers=headers or {})
        return status, h, body.decode("utf-8", "replace")

    def record(self, what: str, ok: bool, detail: str = "") -> bool:
        self.items.append({"what": what, "ok": bool(ok)})
        print(f"  {'ok ' if ok else 'FAIL'} {what}{(' — ' + detail) if detail and not ok else ''}", flush=True)
        return ok

    def cached(self, what: str, path: str, must: list[str]) -> None:
        """Fetched twice: the first fills the cache, the second is a HIT with the same content."""
        first = self.get(path)
        second = self.get(path)
        ok = all(r[0] == 200 and all(html.escape(m) in r[2] for m in must) for r in (first, second))
        self.record(f"{what}: served, then from the cache (X-Cache: HIT)",
                    ok and second[1].get("x-cache") == "HIT",
                    f"status {first[0]}/{second[0]}, X-Cache {second[1].get('x-cache')}")

    def fresh(self, what: str, path: str, *, present: list[str] = (), absent: list[str] = (),
              status: int = 200) -> None:
        code, h, text = self.get(path)
        ok = (code == status and all(html.escape(m) in text for m in present)
              and not any(html.escape(m) in text for m in absent))
        self.record(what, ok, f"HTTP {code}, X-Cache {h.get('x-cache')}, age {h.get('age')}")


def purge_check(checks: Checks, cases: Cases) -> None:
    token = cases.token
    title_a, title_b, title_a2 = (f"前端缓存检查案例{token}甲", f"前端缓存检查案例{token}乙", f"前端缓存更正案例{token}丙")
    a = cases.publish(title_a)
    case_path, campaign_path = f"/cases/{a.pk}/", f"/campaigns/{CAMPAIGN_SLUG}/"
    checks.cached("case page", case_path, [title_a])
    checks.cached("home page", "/", [title_a])
    checks.cached("campaign page", campaign_path, [title_a])

    cases.publish(title_b)
    checks.fresh("after another case is published, the home page shows it", "/", present=[title_b, title_a])
    checks.fresh("… and so does its campaign page", campaign_path, present=[title_b])
    checks.cached("home page (cached again)", "/", [title_b])

    cases.correct_title(a.pk, title_a2)
    checks.fresh("after a correction, the case page shows the new title, not the cached one", case_path,
                 present=[title_a2], absent=[title_a])
    checks.fresh("… and the home page too", "/", present=[title_a2])
    checks.cached("corrected case page (cached again)", case_path, [title_a2])

    cases.revoke(a.pk)
    checks.fresh("after revocation, the case page is gone (404), not served from the cache", case_path, status=404)
    checks.fresh("… and the home page no longer lists it", "/", absent=[title_a2], present=[title_b])
    checks.fresh("… nor its campaign page", campaign_path, absent=[title_a, title_a2], present=[title_b])

    code, h, _t = checks.get("/", {"Cookie": "sessionid=abc; csrftoken=x"})
    checks.record("a request with a session cookie is never served from the cache (PASS, private)",
                  h.get("x-cache") == "PASS" and "private" in h.get("cache-control", ""),
                  f"X-Cache {h.get('x-cache')}, Cache-Control {h.get('cache-control')}")
    status, _h, _b = fetch(checks.base, "/", method="PURGE", headers={"X-Forwarded-For": "203.0.113.9"})
    checks.record("a PURGE forwarded by a proxy is refused (405)", status == 405, f"HTTP {status}")


# --- measurement ---------------------------------------------------------------------------


def measure(base: str, targets: list[dict], args) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {t["key"]: [] for t in targets}
    for t in targets:
        run_wrk(base + t["path"], duration_s=1, connections=args.connections, threads=args.threads, headers=GZIP)
    for r in range(args.rounds):
        for t in targets[r % len(targets):] + targets[:r % len(targets)]:
            result = run_wrk(base + t["path"], duration_s=args.seconds, connections=args.connections,
                             threads=args.threads, headers=GZIP)
            if result["errors"] or not result["requests"]:
                raise BenchError(f"{t['what']}: {result['errors']} failed requests of {result['requests']}")
            runs[t["key"]].append(result)
            print(f"  round {r + 1}/{args.rounds} {t['what']:<36} {result['rps']:9.1f} req/s  "
                  f"p50 {result['p50_ms']:6.2f} ms  p99 {result['p99_ms']:6.2f} ms", flush=True)
    return runs


def summarise(targets: list[dict], runs: dict[str, list[dict]]) -> list[dict]:
    def med(key: str, field: str) -> float:
        return statistics.median(r[field] for r in runs[key])

    ref = med("static", "rps")
    return [{
        "what": t["what"], "key": t["key"], "path": t["path"], "median": round(med(t["key"], "rps"), 1),
        "unit": "req/s", "target": None, "met": None, "p50_ms": round(med(t["key"], "p50_ms"), 3),
        "p99_ms": round(med(t["key"], "p99_ms"), 3), "rps": round(med(t["key"], "rps"), 1),
        "rps_ratio_to_reference": round(med(t["key"], "rps") / ref, 3) if ref else None, "runs": len(runs[t["key"]]),
        "bytes_per_response": round(statistics.median(r["bytes"] / r["requests"] for r in runs[t["key"]])),
    } for t in targets]


def notes(args, checks: list[dict], static_path: str, case_id: int, rows: list[dict]) -> str:
    sizes = ", ".join(f"{r['what']} {r['bytes_per_response']:,} B" for r in rows)
    lines = [
        f"Varnish {varnish_version()} with `deploy/varnish/casebook.vcl` (`-s malloc,256m`) in front of gunicorn "
        f"(production settings, 2 workers); wrk {args.connections} connections, {args.threads} threads, "
        f"`Accept-Encoding: gzip`, {args.rounds} rounds × {args.seconds:g} s per URL, order rotated each round, "
        f"on the same 2 cores as Varnish. Every measured response is a cache HIT: the numbers are Varnish's, "
        f"and the *ratio* compares each page with the static file `{static_path}` served by the same Varnish "
        f"(1.0 = as cheap as a static file). Case page: case {case_id}. Bytes per response (gzipped, headers "
        f"included): {sizes}. The same pages uncached, straight from gunicorn: the HTTP section.",
        "",
        "Purge check (the app's own purges through `website/frontcache.py`, FRONTEND_CACHE_URL → this Varnish):",
        "",
        *[f"- {'✓' if c['ok'] else '✗'} {c['what']}" for c in checks],
    ]
    return "\n".join(lines)


def varnish_version() -> str:
    out = subprocess.run([ensure_varnish(), "-V"], capture_output=True, text=True).stderr.split("\n")[0]
    return out.split("(", 1)[-1].split(" ", 1)[0].removeprefix("varnish-") if "(" in out else "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="2 rounds × 2 s (development)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--without-purge", action="store_true",
                        help="the app does not purge (FRONTEND_CACHE_URL unset): the check must then fail")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds = 2, 2
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    varnishd = ensure_varnish()
    ensure_wrk()
    env = server_env(database_url, free_port(), 2)
    server = Server(env, args.out.parent / "frontcache-server.log")
    varnish = Varnish(server.port)
    django_setup(database_url, varnish.base, purge=not args.without_purge)
    print(f"front cache benchmark against {database_url.rsplit('/', 1)[-1]}", flush=True)
    cases = Cases(os.urandom(3).hex())
    case_id, case_title = sample_case()
    data = dataset(database_url)
    checks = Checks(varnish.base)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    server.prepare()  # collectstatic and createcachetable, as make serve does
    server.start()
    try:
        varnish.start(varnishd)
        purge_check(checks, cases)
        close_db()
        static_path = static_reference(varnish.base)
        targets = [
            {"key": "static", "what": "static file (reference)", "path": static_path},
            {"key": "home", "what": "home page (cached)", "path": "/"},
            {"key": "case", "what": "case page (cached)", "path": f"/cases/{case_id}/"},
        ]
        for t in targets:  # first renders straight from gunicorn (a cold case page computes its related cases)
            fetch(server.base, t["path"], timeout=120)
        checks.cached("the measured case page", targets[2]["path"], [case_title])
        checks.cached("the static file", static_path, [])
        runs = measure(varnish.base, targets, args)
        checks.cached("after the runs, the measured case page is still a HIT", targets[2]["path"], [case_title])
    finally:
        try:
            cases.clean_up()
        finally:
            close_db()
            varnish.stop()
            server.stop()
    rows = summarise(targets, runs)
    result = {
        "section": "Front cache (Varnish)", "order": 30,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "dataset": data, "rows": rows,
        "checks": checks.items, "notes_md": notes(args, checks.items, static_path, case_id, rows),
        "config": {k: getattr(args, k) for k in ("rounds", "seconds", "connections", "threads")}, "raw": runs,
    }
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    for row in rows:
        print(f"  {row['what']:<36} {row['rps']:9.1f} req/s  ×{row['rps_ratio_to_reference']}  "
              f"p50 {row['p50_ms']} ms  p99 {row['p99_ms']} ms")
    failed = [c["what"] for c in checks.items if not c["ok"]]
    if failed:
        print(f"front cache check FAILED: {len(failed)} check(s): {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"front cache benchmark failed: {exc}", file=sys.stderr)
        sys.exit(1)
