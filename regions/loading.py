"""Loading the shipped GB/T 2260 data (regions/data/*.csv) into the Region table."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from .models import Region, RegionLevel

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_CSV = DATA_DIR / "regions.csv"
COUNTIES_CSV = DATA_DIR / "counties.csv"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_regions(region_model, *, counties: bool = False) -> int:
    """Insert or update regions; idempotent. Takes the model so migrations can pass a historical one."""
    rows = read_rows(REGIONS_CSV)
    if counties:
        rows += read_rows(COUNTIES_CSV)
    by_code = {r["code"]: r for r in rows}

    def province_of(code: str) -> str:
        row = by_code[code]
        while row["parent"]:
            row = by_code[row["parent"]]
        return row["code"]

    existing = set(region_model.objects.values_list("code", flat=True))
    # Parents first: provinces, then prefectures, then counties.
    order = {"province": 0, "prefecture": 1, "county": 2}
    for row in sorted(rows, key=lambda r: (order[r["level"]], r["code"])):
        fields = {
            "name": row["name"],
            "level": row["level"],
            "kind": row["kind"],
            "parent_id": row["parent"] or None,
            "province_id": province_of(row["code"]),
        }
        if row["code"] in existing:
            region_model.objects.filter(code=row["code"]).update(**fields)
        else:
            region_model.objects.create(code=row["code"], **fields)
    return len(rows)


@lru_cache(maxsize=1)
def _provinces() -> dict[str, str]:
    return dict(Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code").values_list("code", "name"))


def province_names() -> dict[str, str]:
    """{code: name} of the provinces, in code order, read once per process: reference data that
    only `load_regions` changes (a running server sees that after a restart). Search reads it
    twice per query, the admin's filter on every list page. An empty read (a database not loaded
    yet) is not kept."""
    names = _provinces()
    if not names:
        _provinces.cache_clear()
    return names
