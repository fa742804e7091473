"""Loading the shipped GB/T 2260 data (cases/data/*.csv) into the Region table."""

from __future__ import annotations

import csv
from pathlib import Path

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
