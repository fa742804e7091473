"""查重 services: queue a check when a version is submitted, run it, re-run it, self-check.

The check never runs in the request that submits: `request_check` stores a pending report
and queues `tasks.run_report_task` (a `db_worker` in production; after commit, inline, in
tests), which checks it with the other pending reports in one batch (`run_queued`).
"""

from __future__ import annotations

import logging
from contextlib import nullcontext

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import permissions
from cases.errors import Forbidden, GuardFailed, NotFound
from cases.models import Case, CaseTransition

from . import corpus, index
from .engine import Result, SourceTexts, Unit, check
from .fingerprints import winnow
from .models import Report, ReportSource, ReportStatus
from .normalise import normalise_plain
from .texts import CHECKED_FIELDS, case_text, fields_text

logger = logging.getLogger(__name__)
DEFAULT_MIN_RUN, DEFAULT_THRESHOLD = 13, 30


def submitted_version(case: Case | int) -> int:
    """The version a report is of: how many times the case has been submitted (at least 1)."""
    return max(1, CaseTransition.objects.filter(case=case, transition="submit").count())


def request_check(*, case: Case, by=None) -> Report:
    """A pending report for the case's current version, checked in the background."""
    report = Report.objects.create(
        case=case, version=submitted_version(case), requested_by=by if getattr(by, "is_authenticated", False) else None,
    )
    # In the function: tasks imports this module's run_report (a cycle).
    from .tasks import run_report_task

    transaction.on_commit(lambda: run_report_task.enqueue(report.pk))
    return report


def rerun(*, case_id: int, by) -> Report:
    """The secretariat asks for a new check of a case (e.g. after adding policy texts)."""
    case = permissions.visible_cases(by).filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("未找到该案例，或您无权查看。"))
    if not permissions.can_rerun_similarity(by):
        raise Forbidden(_("只有组织方可以重新查重。"))
    if case.status == "draft":
        raise GuardFailed(_("草稿尚未提交，不能查重；申报单位可以先“自查”。"))
    return request_check(case=case, by=by)


def _settings(case: Case) -> tuple[int, int]:
    campaign = case.campaign
    return (
        getattr(campaign, "similarity_min_run", None) or DEFAULT_MIN_RUN,
        getattr(campaign, "similarity_threshold", None) or DEFAULT_THRESHOLD,
    )


def compute(
    text: str, *, exclude_case: int | None, unit: Unit, min_run: int, threshold: int, published_only: bool = False,
    batch: Batch | None = None,
) -> Result:
    """Candidates from the index (policy fingerprints left out: the corpus is aligned whole),
    then exact alignment against them and the corpus."""
    batch = batch or Batch()
    policy = batch.corpus(min_run)
    hashes = winnow(normalise_plain(text)) - policy.fingerprints
    ids = index.candidates(
        hashes, exclude_case=exclude_case, organisation=unit.organisation, published_only=published_only,
        common=batch.common,
    )
    return check(text, cases=batch.cases(ids), unit=unit, corpus=policy, min_run=min_run, threshold=threshold,
                 sources=batch.sources)


class Batch:
    """What the reports of one run share: the policy corpus (one look whether it changed), the
    set of common fingerprints, and the candidate cases read and normalised so far. A campaign's
    reports are run in batches (`run_reports`), and its candidates overlap (duplicates find each
    other), so each source is read from the database and normalised once per batch."""

    def __init__(self, *, common: set[int] | None = None) -> None:
        self.common = common
        self._corpus: dict[int, corpus.PolicyCorpus] = {}
        self._cases: dict[int, Case] = {}
        self.sources = SourceTexts()

    def corpus(self, min_run: int) -> corpus.PolicyCorpus:
        if min_run not in self._corpus:
            self._corpus[min_run] = corpus.current(min_run)
        return self._corpus[min_run]

    def cases(self, ids: list[int]) -> list[Case]:
        missing = [pk for pk in ids if pk not in self._cases]
        if missing:
            fields = ("pk", "title", "organisation", "region_id", *CHECKED_FIELDS)
            self._cases.update((c.pk, c) for c in Case.objects.filter(pk__in=missing).only(*fields))
        return [self._cases[pk] for pk in ids if pk in self._cases]


RESULT_FIELDS = ("total_ratio", "max_single_ratio", "ratio_excluding_own", "ratio_excluding_policy",
                 "ratio_other_units", "flagged", "same_organisation_flagged")
# Reports written per transaction by `run_reports` (one commit, one multi-row insert of sources).
WRITE_CHUNK = 50


def run_report(report_id: int) -> Report | None:
    """Compute a pending report and store its figures and sources (the task's body)."""
    done = run_reports([report_id])
    return done[0] if done else None


# Pending reports one task checks together (`run_queued`): at a campaign's deadline thousands are
# queued, and a batch shares its reads, its cache of sources and its commits.
DRAIN = 100


def run_queued(report_id: int, *, limit: int = DRAIN) -> list[Report]:
    """The background task's body: this report if it is still pending, and with it up to
    `limit - 1` other pending reports, oldest first. The tasks of the reports checked here find
    them ready and return at once (a report is made once; a re-run is a new pending report).

    On PostgreSQL the batch is claimed (`FOR UPDATE SKIP LOCKED`, held until its one commit), so
    a second `db_worker` skips the reports the first is checking and takes the next ones: two
    workers share a campaign on two cores. SQLite has no such row locks, and a transaction there
    holds the database's one write lock: the batch is computed outside one and written 50 reports
    per commit (a second worker could repeat part of a batch, with the same result)."""
    claim = connection.features.has_select_for_update_skip_locked
    with transaction.atomic() if claim else nullcontext():
        pending = Report.objects.filter(status=ReportStatus.PENDING)
        if claim:
            pending = pending.select_for_update(skip_locked=True)
        if not pending.filter(pk=report_id).exists():
            return []  # checked already, or being checked by another worker
        others = list(pending.exclude(pk=report_id).order_by("pk").values_list("pk", flat=True)[: limit - 1])
        return run_reports([report_id, *others])


def run_reports(report_ids: list[int], *, chunk: int = WRITE_CHUNK) -> list[Report]:
    """Compute these reports: one read of the reports and their cases, one index catch-up, the
    shared `Batch`, and a transaction per `chunk` reports (figures, then all their sources in one
    insert). The same results as running them one by one; what is saved is the database round
    trips and commits, which cost more than the computation on a loaded machine."""
    reports = list(Report.objects.select_related("case__campaign").filter(pk__in=report_ids).order_by("pk"))
    if not reports:
        return []
    index.update_cases({r.case_id for r in reports})
    batch = Batch(common=index.common_hashes() if len(reports) > 1 else None)
    for start in range(0, len(reports), chunk):
        part = reports[start : start + chunk]
        results = []
        for report in part:
            case = report.case
            min_run, threshold = _settings(case)
            text = case_text(case)
            results.append((text, min_run, threshold, compute(
                text, exclude_case=case.pk, unit=Unit(case.organisation, case.region_id), min_run=min_run,
                threshold=threshold, batch=batch,
            )))
        _store(part, results)
    return reports


def _store(reports: list[Report], results: list[tuple[str, int, int, Result]]) -> None:
    now = timezone.now()
    rows = []
    for report, (text, min_run, threshold, result) in zip(reports, results, strict=True):
        report.text, report.min_run, report.threshold = text, min_run, threshold
        report.status, report.checked_at = ReportStatus.READY, now
        for name in RESULT_FIELDS:
            setattr(report, name, getattr(result, name))
        rows += [
            ReportSource(
                report=report, kind=s.kind, case_id=s.case_id, policy_id=s.policy_id, title=s.title[:200],
                same_organisation=s.same_organisation, ratio=s.ratio, passages=s.passages,
            )
            for s in result.sources
        ]
    with transaction.atomic():
        Report.objects.bulk_update(
            reports, ["text", "min_run", "threshold", "status", "checked_at", *RESULT_FIELDS]
        )
        ReportSource.objects.filter(report__in=reports).delete()
        ReportSource.objects.bulk_create(rows)


def self_check(*, by, values: dict, case: Case | None = None) -> Result:
    """自查: the submitter's text against published cases and the policy corpus only, at once
    (nothing is stored; no unpublished case can be learnt from it)."""
    if not permissions.can_self_check(by, case):
        raise Forbidden(_("只有申报单位可以对本单位可编辑的案例自查。"))
    text = fields_text(values)
    if not normalise_plain(text):
        raise GuardFailed(_("请先填写案例名称、摘要或正文，再自查。"))
    campaign = case.campaign if case is not None else None
    min_run = getattr(campaign, "similarity_min_run", None) or DEFAULT_MIN_RUN
    threshold = getattr(campaign, "similarity_threshold", None) or DEFAULT_THRESHOLD
    organisation = values.get("organisation") or (case.organisation if case else "") or ""
    region = case.region_id if case else (by.region_id or "")
    return compute(
        text, exclude_case=case.pk if case else None, unit=Unit(organisation, region), min_run=min_run,
        threshold=threshold, published_only=True,
    )
