"""Full reindex and consistency checks, for `search_reindex` and `search_check`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from cases.models import Case

from .backends import BackendError, BackendUnavailable, Progress, database_backend, elasticsearch_backend
from .extract import case_text, searchable_cases
from .indexing import elasticsearch_enabled, replay_queue
from .models import PendingIndexOp
from .probes import Probe, compare


@dataclass
class Report:
    backend: str
    indexed: int = 0
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    pending: int = 0
    parked: dict[int, str] = field(default_factory=dict)
    error: str = ""
    index_problem: str = ""  # not built, half-built, or built for another mapping/analyzer
    probes: list[Probe] = field(default_factory=list)
    fixed: bool = False

    @property
    def ok(self) -> bool:
        failed = [p for p in self.probes if not p.ok and not p.warning]
        return not (self.missing or self.extra or self.stale or self.pending or self.parked or self.error
                    or self.index_problem or failed)


def available_backends(requested: str = "all") -> list[str]:
    names = ["database"]
    if elasticsearch_enabled():
        names.append("elasticsearch")
    return names if requested == "all" else [n for n in names if n == requested]


def reindex(name: str, progress: Progress | None = None, *, cases: QuerySet[Case] | None = None) -> int:
    """Rebuild one backend's index from the published cases (Elasticsearch: a new index, then
    an atomic alias swap, so searches never see a half-built index).

    `cases` (database backend only) reindexes just those published cases and leaves the rest of
    the index alone: a benchmark or a repair of one campaign."""
    if cases is not None and name != "database":
        raise ValueError("a partial reindex is for the database backend only")
    partial = cases is not None
    cases = (cases if partial else searchable_cases()).order_by("pk")
    total = cases.count()
    if name == "database":
        done = database_backend().rebuild(cases, total, progress, prune=not partial)
    else:
        # Work queued before and during the rebuild is replayed by it (es_rebuild.py).
        done = elasticsearch_backend().rebuild(cases.iterator(chunk_size=200), total, progress)
    return done


def _published() -> dict[int, str]:
    return {c.pk: case_text(c).digest() for c in searchable_cases().iterator(chunk_size=200)}


def check(*, fix: bool = False) -> list[Report]:
    """Cases missing from, extra in or out of date in each index; with `fix`, repair them."""
    published = _published()
    reports = [_check_database(published, fix)]
    if elasticsearch_enabled():
        reports.append(_check_elasticsearch(published, fix))
    return reports


def _compare(report: Report, published: dict[int, str], digests: dict[int, str]) -> Report:
    report.indexed = len(digests)
    report.missing = sorted(set(published) - set(digests))
    report.extra = sorted(set(digests) - set(published))
    report.stale = sorted(cid for cid, d in digests.items() if cid in published and published[cid] != d)
    return report


def _repair(backend, report: Report) -> None:
    backend.index_cases(searchable_cases().filter(pk__in=set(report.missing) | set(report.stale)))
    backend.remove_cases(report.extra)
    report.fixed = True


def _check_database(published: dict[int, str], fix: bool) -> Report:
    db = database_backend()
    report = _compare(Report("database"), published, db.digests())
    if fix and not report.ok:
        _repair(db, report)
    return report


def _check_elasticsearch(published: dict[int, str], fix: bool) -> Report:
    """The index state, its content against the cases, the queue, and real query probes."""
    report = Report("elasticsearch")
    try:
        es = elasticsearch_backend()
        state = es.state(fresh=True)
        if fix and not state.ready:
            reindex("elasticsearch")  # not built, half-built or drifted: only a full build fixes it
            report.fixed = True
            state = es.state(fresh=True)
        report.index_problem = state.problem
        if fix:
            replay_queue()
        _compare(report, published, es.digests())
        if fix and (report.missing or report.extra or report.stale):
            _repair(es, report)
        if state.ready and published:
            report.probes = _probe(es, published)
    except (BackendUnavailable, BackendError) as exc:
        report.error = str(exc)
    report.pending = PendingIndexOp.objects.filter(parked_at__isnull=True).count()
    report.parked = dict(PendingIndexOp.objects.filter(parked_at__isnull=False).values_list("case_id", "last_error"))
    return report


def _probe(es, published: dict[int, str]) -> list[Probe]:
    """Probe with the newest published case (a fresh one shows indexing lag too)."""
    newest = searchable_cases().order_by("-published_at", "-pk").first()
    if newest is None:
        return []
    return compare(es, database_backend(), case_id=newest.pk, title=newest.title, expected_total=len(published))
