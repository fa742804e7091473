"""The candidate index: kept shingle fingerprints of every case (similarity/fingerprints.py),
updated incrementally after a case's text changes, and the query that ranks candidate sources."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q

from cases import effects
from cases.models import Case
from cases.states import CaseStatus

from .fingerprints import winnow
from .models import CommonFingerprint, Fingerprint, IndexedCase
from .normalise import normalise_plain
from .texts import CHECKED_FIELDS, digest, fields_text

# How many candidate sources are aligned exactly: the cases sharing the most fingerprints.
MAX_CANDIDATES = 40
INSERT_BATCH = 5000
# A fingerprint found in more cases than this is boilerplate (CommonFingerprint): the candidate
# query skips it, so its cost does not grow with the number of cases that share stock phrases.
COMMON_CASES = 100
# Best-sharing cases read before dropping those that may not serve as sources (other units'
# drafts; for a self-check, everything unpublished).
OVERFETCH = 5


def update_cases(case_ids: Iterable[int], *, recount_common: bool = True) -> int:
    """Bring these cases' fingerprints up to date; returns how many were (re)written.

    `recount_common=False` for a bulk build, which recounts every fingerprint once at the end
    (`refresh_common`) instead of after every batch."""
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        return 0
    known = dict(IndexedCase.objects.filter(case_id__in=ids).values_list("case_id", "digest"))
    changed: dict[int, tuple[str, set[int]]] = {}
    for pk, *values in Case.objects.filter(pk__in=ids).values_list("pk", *CHECKED_FIELDS):
        text = fields_text(dict(zip(CHECKED_FIELDS, values, strict=True)))
        text_digest = digest(text)
        if known.get(pk) != text_digest:
            changed[pk] = (text_digest, winnow(normalise_plain(text)))
    if not changed:
        return 0
    with transaction.atomic():
        Fingerprint.objects.filter(case_id__in=list(changed)).delete()
        insert_fingerprints([(pk, h) for pk, (_, hashes) in changed.items() for h in hashes])
        IndexedCase.objects.filter(case_id__in=list(changed)).delete()
        IndexedCase.objects.bulk_create([IndexedCase(case_id=pk, digest=d) for pk, (d, _) in changed.items()])
        if recount_common:
            mark_common(set().union(*(hashes for _, hashes in changed.values())))
    return len(changed)


def insert_fingerprints(rows: list[tuple[int, int]]) -> None:
    """(case, hash) rows: PostgreSQL's COPY (a bulk build writes ~120 rows per case, and COPY is
    several times cheaper than multi-row INSERTs), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        Fingerprint.objects.bulk_create([Fingerprint(case_id=c, hash=h) for c, h in rows], batch_size=INSERT_BATCH)
        return
    statement = f"COPY {Fingerprint._meta.db_table} (case_id, hash) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def mark_common(hashes: set[int]) -> None:
    """Record which of these fingerprints have become common (only those not known to be: the
    postings of a common fingerprint are never counted again)."""
    if not hashes:
        return
    known = set(CommonFingerprint.objects.filter(hash__in=list(hashes)).values_list("hash", flat=True))
    rest = list(hashes - known)
    found = []
    for start in range(0, len(rest), INSERT_BATCH):
        found += (
            Fingerprint.objects.filter(hash__in=rest[start : start + INSERT_BATCH]).values("hash")
            .annotate(n=Count("case_id")).filter(n__gt=COMMON_CASES).values_list("hash", flat=True)
        )
    CommonFingerprint.objects.bulk_create([CommonFingerprint(hash=h) for h in found], ignore_conflicts=True)


def refresh_common() -> int:
    """Recount every fingerprint (after a bulk build, or once in a while: cases that were edited
    or deleted may have made a common fingerprint rare again)."""
    with transaction.atomic():
        CommonFingerprint.objects.all().delete()
        common = (
            Fingerprint.objects.values("hash").annotate(n=Count("case_id")).filter(n__gt=COMMON_CASES)
            .values_list("hash", flat=True)
        )
        rows = [CommonFingerprint(hash=h) for h in common]
        CommonFingerprint.objects.bulk_create(rows, batch_size=INSERT_BATCH)
    return len(rows)


def request_update(case_ids: Iterable[int]) -> None:
    """Update now, or once at the end of the enclosing `cases.effects.batched()` block."""
    pending = effects.bucket("similarity.index", lambda collected: update_cases(collected))
    if pending is None:
        update_cases(case_ids)
    else:
        pending.update(dict.fromkeys(case_ids))


def common_hashes() -> set[int]:
    """Every common fingerprint, read once for a batch of reports (instead of asking per report)."""
    return set(CommonFingerprint.objects.values_list("hash", flat=True))


def candidates(
    hashes: set[int], *, exclude_case: int | None, organisation: str = "", published_only: bool = False,
    limit: int = MAX_CANDIDATES, common: set[int] | None = None,
) -> list[int]:
    """The cases that share the most fingerprints with a text, most first.

    Sources are every other case except other units' drafts (docs/similarity.md); a self-check
    looks at published cases only. The fingerprint lookup reads the (hash, case) index alone;
    which of its best cases may serve as sources is asked of the cases by primary key after
    (a join would make the database read every case).
    """
    if common is None:
        common = set(CommonFingerprint.objects.filter(hash__in=list(hashes)).values_list("hash", flat=True))
    hashes = set(hashes) - common
    if not hashes:
        return []
    qs = Fingerprint.objects.filter(hash__in=list(hashes))
    if exclude_case is not None:
        qs = qs.exclude(case_id=exclude_case)
    ranked = [
        row["case_id"]
        for row in qs.values("case_id").annotate(shared=Count("hash")).order_by("-shared", "case_id")[: limit * OVERFETCH]
    ]
    eligible = Case.objects.filter(pk__in=ranked)
    if published_only:
        eligible = eligible.filter(status=CaseStatus.PUBLISHED)
    else:
        own_drafts = Q(organisation=organisation) if organisation else Q(pk__in=[])
        eligible = eligible.filter(~Q(status=CaseStatus.DRAFT) | own_drafts)
    allowed = set(eligible.values_list("pk", flat=True))
    return [pk for pk in ranked if pk in allowed][:limit]
