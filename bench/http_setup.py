"""What the HTTP benchmark needs from the benchmark database, read with Django in this process.

`prepare(database_url)` returns the pages to measure (a typical published case, the campaign
with most published cases, two facet values the query narrows to) and a secretariat account
with a fresh random password, created when missing. It closes its database connections, so
nothing of the harness's own stays open while the server is measured.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERY = "老年人"
BENCH_USERNAME = "bench-secretariat"


def _django(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()


def dataset_counts(database_url: str) -> dict:
    """Cases, published cases and campaigns in the database (for the report's header)."""
    _django(database_url)
    from django.db import connections

    from cases.models import Campaign, Case
    from cases.states import CaseStatus

    try:
        return {
            "cases": Case.objects.count(),
            "published": Case.objects.filter(status=CaseStatus.PUBLISHED).count(),
            "campaigns": Campaign.objects.count(),
        }
    finally:
        connections.close_all()


def _secretariat(password: str):
    from django.contrib.auth import get_user_model

    from accounts.roles import Role
    from accounts.services import sync_role_group

    user, _created = get_user_model().objects.get_or_create(
        username=BENCH_USERNAME, defaults={"role": Role.SECRETARIAT, "email": "bench@casebook.local"},
    )
    user.role = Role.SECRETARIAT
    user.is_active = True
    user.set_password(password)
    user.save()
    sync_role_group(user)
    return user


def prepare(database_url: str) -> dict:
    """The targets' parameters and expected contents, and the secretariat's credentials."""
    _django(database_url)
    from django.db import connections
    from django.db.models import Count, Q

    from cases.models import Campaign, Case
    from cases.states import CaseStatus
    from search.query import SearchQuery
    from search.service import search_cases
    from security.lockout import unlock

    try:
        # Not the batch benchmark's own campaigns (bench-batch-*): it deletes and re-imports them.
        published = Case.objects.filter(status=CaseStatus.PUBLISHED).exclude(campaign__slug__startswith="bench-")
        n = published.count()
        if n == 0:
            raise SystemExit("The benchmark database has no published case: load data first (make bench does).")
        # A typical case: the middle one by id, not the first or the last imported.
        case = published.order_by("pk").select_related("campaign")[n // 2]
        campaign = (
            Campaign.objects.annotate(n=Count("cases", filter=Q(cases__status=CaseStatus.PUBLISHED)))
            .filter(n__gt=0).exclude(slug__startswith="bench-").order_by("-n", "pk").first()
        )
        found = search_cases(SearchQuery(q=QUERY))
        facets = {}
        for dim in ("province", "scenario"):
            options = found.facets.get(dim) or []
            if options:
                facets[dim] = str(options[0].value)
        narrowed = search_cases(SearchQuery(q=QUERY, **{k: (v,) for k, v in facets.items()}))
        password = secrets.token_urlsafe(18) + "Aa1!"
        _secretariat(password)
        unlock(BENCH_USERNAME)
        return {
            "case": {"id": case.pk, "title": case.title},
            "campaign": {"slug": campaign.slug, "title": campaign.title, "published": campaign.n},
            "query": QUERY,
            "query_total": found.total,
            "facets": facets,
            "facets_total": narrowed.total,
            "username": BENCH_USERNAME,
            "password": password,
            "counts": {"cases": Case.objects.count(), "published": n, "campaigns": Campaign.objects.count()},
        }
    finally:
        connections.close_all()
