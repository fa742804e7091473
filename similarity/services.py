"""查重 services: queue a check when a version is submitted, run it, re-run it, self-check.

The check never runs in the request that submits: `request_check` stores a pending report
and queues `tasks.run_report` (a `db_worker` in production; after commit, inline, in tests).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import permissions
from cases.errors import Forbidden, GuardFailed, NotFound
from cases.models import Case, CaseTransition

from . import corpus, index
from .engine import Result, Unit, check
from .fingerprints import winnow
from .models import Report, ReportSource, ReportStatus
from .normalise import normalise_plain
from .texts import CHECKED_FIELDS, case_text, fields_text

logger = logging.getLogger(__name__)
DEFAULT_MIN_RUN, DEFAULT_THRESHOLD = 13, 30


def submitted_version(case: Case) -> int:
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
    text: str, *, exclude_case: int | None, unit: Unit, min_run: int, threshold: int, published_only: bool = False
) -> Result:
    """Candidates from the index (policy fingerprints left out: the corpus is aligned whole),
    then exact alignment against them and the corpus."""
    policy = corpus.current(min_run)
    hashes = winnow(normalise_plain(text)) - policy.fingerprints
    ids = index.candidates(
        hashes, exclude_case=exclude_case, organisation=unit.organisation, published_only=published_only
    )
    cases = list(Case.objects.filter(pk__in=ids).only("pk", "organisation", "region_id", *CHECKED_FIELDS))
    return check(text, cases=cases, unit=unit, corpus=policy, min_run=min_run, threshold=threshold)


def run_report(report_id: int) -> Report | None:
    """Compute a pending report and store its figures and sources (the task's body)."""
    report = Report.objects.select_related("case__campaign").filter(pk=report_id).first()
    if report is None:
        return None
    case = report.case
    index.update_cases([case.pk])
    min_run, threshold = _settings(case)
    text = case_text(case)
    result = compute(
        text, exclude_case=case.pk, unit=Unit(case.organisation, case.region_id), min_run=min_run, threshold=threshold
    )
    with transaction.atomic():
        report.text, report.min_run, report.threshold = text, min_run, threshold
        report.status, report.checked_at = ReportStatus.READY, timezone.now()
        for name in ("total_ratio", "max_single_ratio", "ratio_excluding_own", "ratio_excluding_policy",
                     "ratio_other_units", "flagged", "same_organisation_flagged"):
            setattr(report, name, getattr(result, name))
        report.save()
        report.sources.all().delete()
        ReportSource.objects.bulk_create([
            ReportSource(
                report=report, kind=s.kind, case_id=s.case_id, policy_id=s.policy_id, title=s.title[:200],
                same_organisation=s.same_organisation, ratio=s.ratio, passages=s.passages,
            )
            for s in result.sources
        ])
    return report


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
