"""Building compilations in the background, and asking for a build.

With a task worker (production: a database-backed queue), every publish or revoke queues
`build_compilation`, deferred by `CASEBOOK["COMPILATION_DELAY_SECONDS"]` (default 30) when the
backend can defer, so a batch publication coalesces: the first task builds, the others find the
content unchanged (same fingerprint) and stop at once.

With the immediate backend (development and tests: no worker, tasks run inline) a build per
publication would make bulk loads and batch publications quadratic, so changes only mark the
compilation as pending and the next download builds it (`ensure_current`), as does
`manage.py build_compilations`.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from cases.models import Campaign

from . import builder
from .models import Compilation, CompilationState

logger = logging.getLogger(__name__)

# A queued build that has not landed after this long is queued again by the next download.
REQUEUE_AFTER = timedelta(minutes=15)


def file_name(campaign: Campaign, fingerprint: str) -> str:
    """compilations/<slug>-<hash>.pdf in the media storage: a new name per content, so caches never mix them up."""
    return f"compilations/{campaign.slug}-{fingerprint[:12]}.pdf"


def runs_inline() -> bool:
    """True when tasks run inside the caller (no worker): dev, tests, a single-process install."""
    return isinstance(build_compilation.get_backend(), ImmediateBackend)


def _delay() -> timedelta:
    return timedelta(seconds=int(settings.CASEBOOK.get("COMPILATION_DELAY_SECONDS", 30)))


def _drop_file(compilation: Compilation) -> dict:
    """Delete the built file; returns the field values that say so (for an update)."""
    if compilation.file:
        compilation.file.storage.delete(compilation.file.name)
    return {"file": "", "fingerprint": "", "case_count": 0, "size": 0}


def _locked(campaign_id: int) -> Compilation:
    """The campaign's row, created if needed and locked until the transaction ends."""
    Compilation.objects.get_or_create(campaign_id=campaign_id)
    return Compilation.objects.select_for_update().get(campaign_id=campaign_id)


def _enqueue(campaign_id: int) -> None:
    backend = build_compilation.get_backend()
    if backend.supports_defer:
        build_compilation.using(run_after=timezone.now() + _delay()).enqueue(campaign_id)
    else:
        build_compilation.enqueue(campaign_id)


def request_build(campaign_id: int, *, drop_current: bool = False) -> Compilation:
    """The campaign's published cases changed: mark its compilation pending and queue a build.

    `drop_current` (a case left `published`): the last built file still shows that case, so it
    is withdrawn at once rather than served until the rebuild lands.
    """
    with transaction.atomic():
        compilation = _locked(campaign_id)
        changes = {"state": CompilationState.PENDING, "requested_at": timezone.now()}
        if drop_current:
            changes |= _drop_file(compilation)
        Compilation.objects.filter(pk=compilation.pk).update(**changes)
    if not runs_inline():
        _enqueue(campaign_id)
    compilation.refresh_from_db()
    return compilation


def ensure_current(campaign: Campaign) -> Compilation:
    """For the download view: build a pending compilation now (no worker) or see that one is queued."""
    compilation, _created = Compilation.objects.get_or_create(campaign=campaign)
    if compilation.state == CompilationState.READY and (compilation.has_file or not compilation.case_count):
        return compilation
    now = timezone.now()
    recently = compilation.requested_at is not None and now - compilation.requested_at < REQUEUE_AFTER
    if runs_inline():
        if compilation.state == CompilationState.FAILED and recently:
            return compilation  # don't retry a failing build on every download
        Compilation.objects.filter(pk=compilation.pk).update(requested_at=now)
        build_compilation.enqueue(campaign.pk)
        compilation.refresh_from_db()
    elif not recently:
        Compilation.objects.filter(pk=compilation.pk).update(requested_at=now)
        _enqueue(campaign.pk)
    return compilation


def build(campaign_id: int, *, force: bool = False) -> Compilation | None:
    """Build (or confirm) the compilation of a campaign; returns it, or None for an unknown campaign."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return None
    compilation, _created = Compilation.objects.get_or_create(campaign=campaign)
    requested_at = compilation.requested_at  # a later request means newer content than we read
    book = builder.book(campaign)
    if not book.case_ids:
        with transaction.atomic():
            compilation = _locked(campaign.pk)
            changes = _drop_file(compilation) | {"state": CompilationState.READY, "error": "", "built_at": timezone.now()}
            Compilation.objects.filter(pk=compilation.pk).update(**changes)
        compilation.refresh_from_db()
        return compilation
    if not force and compilation.fingerprint == book.fingerprint and compilation.has_file:
        if compilation.state != CompilationState.READY:
            compilation.state = CompilationState.READY
            compilation.save(update_fields=["state"])
        return compilation
    Compilation.objects.filter(pk=compilation.pk).update(state=CompilationState.BUILDING)
    try:
        pdf = builder.render(book)
    except Exception as exc:
        logger.exception("compilation of campaign %s failed", campaign.slug)
        Compilation.objects.filter(pk=compilation.pk).update(state=CompilationState.FAILED, error=str(exc)[:4000])
        raise
    with transaction.atomic():
        # Holding the row: a publish or revoke committing now waits here for its request_build,
        # which then marks this build outdated (and drops it, for a revoke).
        compilation = Compilation.objects.select_for_update().get(pk=compilation.pk)
        if builder.published_ids(campaign) != book.case_ids:
            # A case was published or revoked while we rendered: that change requested the next build.
            compilation.state = CompilationState.PENDING
            compilation.save(update_fields=["state"])
            return compilation
        storage = compilation.file.storage
        name = file_name(campaign, book.fingerprint)
        old = compilation.file.name if compilation.file else ""
        if storage.exists(name):
            storage.delete(name)
        compilation.file.name = storage.save(name, ContentFile(pdf))
        compilation.fingerprint = book.fingerprint
        compilation.case_count = book.case_count
        compilation.size = len(pdf)
        compilation.built_at = timezone.now()
        outdated = compilation.requested_at != requested_at  # e.g. a correction saved meanwhile
        compilation.state = CompilationState.PENDING if outdated else CompilationState.READY
        compilation.error = ""
        compilation.save()
    if old and old != compilation.file.name:
        storage.delete(old)
    logger.info("compilation of %s built: %d case(s), %d bytes", campaign.slug, book.case_count, len(pdf))
    return compilation


@task()
def build_compilation(campaign_id: int) -> int:
    """The background build; returns the number of cases in the book."""
    compilation = build(campaign_id)
    return compilation.case_count if compilation else 0
