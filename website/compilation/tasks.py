"""Building compilations in the background, one build at a time per campaign, never for a visitor.

A publish, revoke or correction (`signals`) calls `request_build`: the compilation is marked
pending and `build_compilation` is queued. With the database queue (production) a worker builds
it, deferred by `CASEBOOK["COMPILATION_DELAY_SECONDS"]` (default 30) so that a batch publication
coalesces (the first task builds, the others find the content unchanged). With the immediate
backend (development, tests, a single server without a worker) the task runs where it was
queued: after the commit, in the official's request (or the import or command) that changed the
cases; `manage.py build_compilations` (cron) catches up anything still pending, and is the only
builder when `CASEBOOK["COMPILATION_BUILD_ON_CHANGE"]` is off (env COMPILATION_BUILD_ON_CHANGE=0).

A visitor's download (`for_download`) never builds. It serves the last good book, kept until the
new one exists, even after a revoke (its cover carries its date), or says the book is being
made. With the database queue it may queue a missing build, at most once per REQUEUE_AFTER for
all visitors together (a conditional update decides who).

`build` holds a per-campaign lock (`single_flight`) while it renders: a second build of the same
campaign (another worker, the command) returns at once, and the holder builds again if a change
was requested meanwhile. Builds are idempotent: the file name is the content's fingerprint, and
an unchanged content is not rendered again, so a task that runs twice (a worker died mid-task and
the task was queued again, background/recovery.py) does no harm.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from cases.models import Campaign

from . import builder
from .models import Compilation, CompilationState

logger = logging.getLogger(__name__)

# A build visitors found missing is queued again by a later download after this long.
REQUEUE_AFTER = timedelta(minutes=15)
# pg_try_advisory_lock(LOCK_SPACE, campaign id): one build per campaign at a time ("cbk").
LOCK_SPACE = 0x63626B
# A build that finds a change requested while it rendered renders again, at most this often.
MAX_ROUNDS = 3


def file_name(campaign: Campaign, fingerprint: str) -> str:
    """compilations/<slug>-<hash>.pdf in the media storage: a new name per content, so caches never mix them up."""
    return f"compilations/{campaign.slug}-{fingerprint[:12]}.pdf"


def runs_inline() -> bool:
    """True when tasks run inside the caller (no worker): dev, tests, a single-process install."""
    return isinstance(build_compilation.get_backend(), ImmediateBackend)


def _delay() -> timedelta:
    return timedelta(seconds=int(settings.CASEBOOK.get("COMPILATION_DELAY_SECONDS", 30)))


def _enqueue(campaign_id: int) -> None:
    backend = build_compilation.get_backend()
    if backend.supports_defer and _delay():
        build_compilation.using(run_after=timezone.now() + _delay()).enqueue(campaign_id)
    else:
        build_compilation.enqueue(campaign_id)


def request_build(campaign_id: int) -> Compilation:
    """The campaign's published cases changed: mark its compilation pending and queue a build.

    The last built file stays and is served until the new one replaces it (also after a revoke:
    a missing book helps nobody, and the new one follows within minutes).
    """
    Compilation.objects.get_or_create(campaign_id=campaign_id)
    Compilation.objects.filter(campaign_id=campaign_id).update(state=CompilationState.PENDING, requested_at=timezone.now())
    if settings.CASEBOOK.get("COMPILATION_BUILD_ON_CHANGE", True):
        _enqueue(campaign_id)
    return Compilation.objects.get(campaign_id=campaign_id)


def for_download(campaign: Campaign) -> Compilation:
    """What a visitor's download serves. Never builds; with a worker, queues a missing build
    (once per REQUEUE_AFTER, whoever asks: the conditional update lets one request through)."""
    compilation, _created = Compilation.objects.get_or_create(campaign=campaign)
    current = compilation.state == CompilationState.READY and (compilation.has_file or not compilation.case_count)
    if current or runs_inline():
        return compilation
    now = timezone.now()
    last = compilation.requested_at
    if last is not None and now - last < REQUEUE_AFTER:
        return compilation
    claimed = Compilation.objects.filter(pk=compilation.pk, requested_at=last).update(requested_at=now)
    if claimed:
        _enqueue(campaign.pk)
    compilation.refresh_from_db()
    return compilation


# --- one build at a time per campaign --------------------------------------------------------


@contextmanager
def single_flight(campaign_id: int) -> Iterator[bool]:
    """True while this process holds the campaign's build lock; False if another build holds it.

    PostgreSQL: a session advisory lock, released when the block ends or the session does (a
    killed worker's lock goes with its connection). SQLite (one host): an flock on a file named
    after the database and the campaign, released when the block ends or the process dies.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_SPACE, campaign_id])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, campaign_id])
        return
    database = hashlib.sha256(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"casebook-compilation-{database}-{campaign_id}.lock"
    with path.open("a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def build(campaign_id: int, *, force: bool = False) -> Compilation | None:
    """Build (or confirm) the compilation of a campaign; returns it, or None for an unknown campaign.

    If another build of the campaign is running, returns at once: that build renders again if a
    change was requested while it ran (checked after it lets go of the lock).
    """
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return None
    for _round in range(MAX_ROUNDS):
        with single_flight(campaign.pk) as held:
            if not held:
                logger.info("compilation of %s: another build is running", campaign.slug)
                return Compilation.objects.get_or_create(campaign=campaign)[0]
            compilation, seen = _build_once(campaign, force=force)
        latest = Compilation.objects.get(pk=compilation.pk)
        if latest.state != CompilationState.PENDING or latest.requested_at == seen:
            return latest
        force = False  # a change was requested while we rendered: once more with it
    return latest


def _drop_file(compilation: Compilation) -> dict:
    """Delete the built file; returns the field values that say so (for an update)."""
    if compilation.file:
        compilation.file.storage.delete(compilation.file.name)
    return {"file": "", "fingerprint": "", "case_count": 0, "size": 0}


def _build_once(campaign: Campaign, *, force: bool) -> tuple[Compilation, object]:
    """One build under the lock; returns the compilation and the request time it started from."""
    compilation, _created = Compilation.objects.get_or_create(campaign=campaign)
    requested_at = compilation.requested_at  # a later request means newer content than we read
    book = builder.book(campaign)
    if not book.case_ids:
        # Nothing published any more (every case revoked): there is no book to keep.
        with transaction.atomic():
            compilation = Compilation.objects.select_for_update().get(pk=compilation.pk)
            changes = _drop_file(compilation) | {"state": CompilationState.READY, "error": "", "built_at": timezone.now()}
            Compilation.objects.filter(pk=compilation.pk).update(**changes)
        compilation.refresh_from_db()
        return compilation, requested_at
    if not force and compilation.fingerprint == book.fingerprint and compilation.has_file:
        if compilation.state != CompilationState.READY:
            Compilation.objects.filter(pk=compilation.pk, requested_at=requested_at).update(state=CompilationState.READY)
            compilation.refresh_from_db()
        return compilation, requested_at
    Compilation.objects.filter(pk=compilation.pk).update(state=CompilationState.BUILDING)
    try:
        pdf = builder.render(book)
    except Exception as exc:
        logger.exception("compilation of campaign %s failed", campaign.slug)
        Compilation.objects.filter(pk=compilation.pk).update(state=CompilationState.FAILED, error=str(exc)[:4000])
        raise
    with transaction.atomic():
        compilation = Compilation.objects.select_for_update().get(pk=compilation.pk)
        if builder.published_ids(campaign) != book.case_ids:
            # A case was published or revoked while we rendered: that change requested the next build.
            compilation.state = CompilationState.PENDING
            compilation.save(update_fields=["state"])
            return compilation, requested_at
        storage = compilation.file.storage
        name = file_name(campaign, book.fingerprint)
        old = compilation.file.name if compilation.file else ""
        if name != old or not storage.exists(name):
            if storage.exists(name):
                storage.delete(name)  # a leftover of an earlier run with this content
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
        storage.delete(old)  # only now: the new book is in place
    logger.info("compilation of %s built: %d case(s), %d bytes", campaign.slug, book.case_count, len(pdf))
    return compilation, requested_at


@task()
def build_compilation(campaign_id: int) -> int:
    """The background build; returns the number of cases in the book."""
    compilation = build(campaign_id)
    return compilation.case_count if compilation else 0
