"""Our PostgreSQL connections run without JIT (config/settings/base.py, docs/performance.md)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT setting; SQLite has none (CI runs this)")
def test_jit_is_off_for_our_connections():
    # JIT compiling cost the library's ranking statement ~590 ms per search at 100,000 cases.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
