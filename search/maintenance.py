"""Full reindex and consistency checks, for `search_reindex` and `search_check`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from cases.models import Case

from .backends import BackendUnavailable, Progress, database_backend, elasticsearch_backend
from .extract import case_text, searchable_cases
from .indexing import elasticsearch_enabled, flush_pending
from .models import PendingIndexOp


@dataclass
class Report:
    backend: str
    indexed: int = 0
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    pending: int = 0
    error: str = ""
    fixed: bool = False

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.stale or self.pending or self.error)


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
        done = elasticsearch_backend().rebuild(cases.iterator(chunk_size=200), total, progress)
    if name == "elasticsearch":
        # Everything queued before the rebuild is now reflected in the new index.
        PendingIndexOp.objects.all().delete()
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
    report = Report("elasticsearch")
    try:
        es = elasticsearch_backend()
        if fix:
            flush_pending()
        _compare(report, published, es.digests())
        if fix and (report.missing or report.extra or report.stale):
            _repair(es, report)
    except BackendUnavailable as exc:
        report.error = str(exc)
    report.pending = PendingIndexOp.objects.count()
    return report
