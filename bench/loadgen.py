"""Load generation and server CPU accounting shared by the HTTP benchmarks (bench/http_bench.py, ...).

`run_wrk` drives one URL with wrk on this machine and returns its figures as a dict;
`ServerCPU` reads the CPU time (utime + stime, reaped children included) of a process tree
from /proc, and optionally of the PostgreSQL backends serving it, so that a round's CPU time
divided by its request count gives CPU milliseconds per request. Linux only, by design.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

LUA_REPORT = Path(__file__).resolve().parent / "wrk_report.lua"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class LoadError(RuntimeError):
    """wrk is missing, failed, or printed no report."""


def ensure_wrk() -> str:
    """The wrk executable; installs Debian's package when it is missing (we run as root)."""
    found = shutil.which("wrk")
    if found:
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    found = shutil.which("wrk")
    if not found:
        raise LoadError("wrk is not installed and could not be installed")
    return found


def run_wrk(url: str, *, duration_s: float, connections: int, threads: int,
            headers: dict[str, str] | None = None, timeout_s: float = 10) -> dict:
    """Run wrk against `url` and return requests, errors, rps and p50/p90/p99/mean latency (ms).

    `errors` counts every failed request: connect/read/write errors, timeouts and responses
    with a status above 399. Only loopback URLs are meant to be used here.
    """
    wrk = ensure_wrk()
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration_s))}s",
           f"--timeout={max(1, round(timeout_s))}s", "--latency", "-s", str(LUA_REPORT)]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(url)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration_s + timeout_s + 30)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if proc.returncode != 0 or line is None:
        raise LoadError(f"wrk failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout[-500:]}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("errors_connect", "errors_read", "errors_write",
                                  "errors_status", "errors_timeout"))
    return {
        "url": url,
        "requests": raw["requests"],
        "errors": errors,
        "errors_status": raw["errors_status"],
        "duration_s": seconds,
        "bytes": raw["bytes"],
        "rps": raw["requests"] / seconds if seconds else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "mean_ms": raw["mean_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "connections": connections,
        "threads": threads,
    }


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, CPU ticks: utime + stime + cutime + cstime) of a process, None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) may contain spaces and parentheses: split after the last ")".
    fields = text[text.rindex(")") + 2:].split()
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return ppid, utime + stime + cutime + cstime


def process_tree(root: int) -> list[int]:
    """`root` and all its live descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            st = _stat(int(entry.name))
            if st:
                children.setdefault(st[0], []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def tree_cpu_ticks(root: int) -> int:
    """CPU ticks of a process tree: live processes' own time plus the time of reaped children
    (which the kernel adds to the parent's cutime/cstime), so restarted workers still count."""
    total = 0
    for pid in process_tree(root):
        st = _stat(pid)
        if st:
            total += st[1]
    return total


def backend_cpu_ticks(pids: list[int]) -> dict[int, int]:
    """CPU ticks per PostgreSQL backend process (the server runs on this machine)."""
    out = {}
    for pid in pids:
        st = _stat(pid)
        if st:
            out[pid] = st[1]
    return out


@dataclass
class CPUSample:
    app_ticks: int
    db_ticks: dict[int, int] = field(default_factory=dict)


@dataclass
class ServerCPU:
    """CPU time of the application server tree (gunicorn master + workers), and of the
    PostgreSQL backends whose pids `db_pids()` returns (e.g. from pg_stat_activity by
    application_name); `None` leaves the database out."""

    root_pid: int
    db_pids: object = None  # Callable[[], list[int]] | None

    def sample(self) -> CPUSample:
        db = backend_cpu_ticks(self.db_pids()) if self.db_pids else {}
        return CPUSample(tree_cpu_ticks(self.root_pid), db)

    @staticmethod
    def delta_ms(before: CPUSample, after: CPUSample) -> tuple[float, float]:
        """(application ms, database ms) spent between two samples. A backend that appeared in
        between counts from zero; one that ended in between is lost (rare with persistent
        connections)."""
        app = (after.app_ticks - before.app_ticks) * 1000 / CLOCK_TICKS
        db = sum(t - before.db_ticks.get(pid, 0) for pid, t in after.db_ticks.items())
        return app, db * 1000 / CLOCK_TICKS

    def settle(self, timeout_s: float = 60, quiet_s: float = 0.3) -> None:
        """Wait until the server has finished what an earlier run left queued (its CPU time stops
        moving), so that no run is charged for the previous one's requests."""
        import time

        deadline = time.monotonic() + timeout_s
        last = tree_cpu_ticks(self.root_pid)
        while time.monotonic() < deadline:
            time.sleep(quiet_s)
            now = tree_cpu_ticks(self.root_pid)
            if now == last:
                return
            last = now

    def measure(self, fn, *args, **kwargs) -> tuple[object, float, float]:
        """Call fn and return (its result, application CPU ms, database CPU ms) spent meanwhile.

        Waits for the server to be idle before, and after: the requests still in flight when wrk
        stops (one per connection: wrk sends the next as soon as a response arrives) are served
        to the end, so divide by wrk's count plus the number of connections."""
        self.settle()
        before = self.sample()
        result = fn(*args, **kwargs)
        self.settle()
        app_ms, db_ms = self.delta_ms(before, self.sample())
        return result, app_ms, db_ms
