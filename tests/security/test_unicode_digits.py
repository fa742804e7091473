"""Digits that are not ASCII ('²', '١', '５') in page and year parameters: a Chinese 400, never a 500.

`str.isdigit()` is true for '²' while `int('²')` raises, so every numeric parameter is checked as
ASCII digits (found on the library with ?page=²).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["²", "²²²²", "١٢", "５", "2０25"])
def test_library_page_and_year(client, value):
    for params in ({"page": value}, {"year": value}):
        response = client.get("/cases/", params)
        assert response.status_code == 400, (params, response.status_code)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in response.content.decode())


@pytest.mark.parametrize("value", ["²²²²", "２０２５"])
def test_open_data_and_api_year(client, value):
    assert client.get("/api/v1/cases", {"year": value}).status_code == 400
    response = client.get("/cases.csv", {"year": value})
    assert response.status_code == 400, response.status_code
