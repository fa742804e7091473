"""The busiest pages ask the database a fixed number of questions, whatever the amount of data.

Each page is counted on a small load data set and on one three times larger (both made by
`generate_load_data`'s generator, each inside a savepoint that is rolled back afterwards); an
N+1 pattern (a query per row, per facet value, per card) shows up as a difference.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases.loadgen.generate import generate
from cases.loadgen.setup import SECRETARIAT, recommender_name
from cases.models import Case
from cases.permissions import working_cases

pytestmark = pytest.mark.django_db

SMALL, LARGE = (60, 8), (180, 24)  # (cases, published)
PUBLIC = {
    "library": "/cases/",
    "library_query": "/cases/?q=数字",
    "library_query_two_facets": "/cases/?q=数字&scenario=life&group=elderly",
    "home": "/",
    "notices": "/notices/",
    "api_cases": "/api/v1/cases?q=数字",
}


def _queries(client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm what is cached per process (Wagtail's site, settings)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), [q["sql"] for q in ctx.captured_queries]


def _measure(client) -> dict[str, tuple[int, list[str]]]:
    User = get_user_model()
    busiest = Counter(Case.objects.values_list("province_id", flat=True)).most_common(1)[0][0]
    published = Case.objects.filter(status="published").order_by("pk").first()
    out = {name: _queries(client, url) for name, url in PUBLIC.items()}
    out["case_page"] = _queries(client, f"/cases/{published.pk}/")
    out["campaign_page"] = _queries(client, f"/campaigns/{published.campaign.slug}/")
    for role, username in (("secretariat", SECRETARIAT), ("recommender", recommender_name(busiest))):
        user = User.objects.get(username=username)
        client.force_login(user)
        out[f"admin_list_{role}"] = _queries(client, "/admin/cases/")
        # A filter that leaves rows in both data sets (an empty page skips the row queries).
        status = Counter(working_cases(user).values_list("status", flat=True)).most_common(1)[0][0]
        out[f"admin_list_{role}_filtered"] = _queries(client, f"/admin/cases/?status={status}")
        client.logout()
    return out


def _counts_with(client, size: tuple[int, int]) -> dict[str, tuple[int, list[str]]]:
    savepoint = transaction.savepoint()
    try:
        generate(n_cases=size[0], n_published=size[1], log=lambda message: None)
        return _measure(client)
    finally:
        transaction.savepoint_rollback(savepoint)


def test_query_counts_do_not_grow_with_the_data(client):
    small = _counts_with(client, SMALL)
    large = _counts_with(client, LARGE)
    grown = {name: (small[name][0], large[name][0]) for name in small if small[name][0] != large[name][0]}
    detail = "\n".join(f"{name}: {a} → {b} queries" for name, (a, b) in grown.items())
    assert not grown, "query counts grew with the data:\n" + detail
    # The counts are real pages, not error pages that ask nothing.
    assert all(count > 0 for count, _sql in small.values())
