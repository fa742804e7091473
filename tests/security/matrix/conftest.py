"""The matrix builds its objects once per test class (setUpTestData), so the per-test MEDIA_ROOT
of tests/conftest.py is replaced by one directory per class (see base.MatrixTestCase)."""

import pytest


@pytest.fixture(autouse=True)
def _media_root():
    yield
