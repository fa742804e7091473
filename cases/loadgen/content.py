"""Case content for load data: the demo's Chinese generator, per province, lengthened and varied.

Each province's cases come from `generate_cases` run for that province alone (so the places in the
text match the case's region), with a seed of its own. A share of cases takes further outcome and
lesson sentences from a sibling case of the same theme, so texts run to about two thousand
characters. Half the cases have a text of their own; the others are the same practice submitted
again to another campaign (selected cases always have their own).
"""

from __future__ import annotations

import math
import random
from datetime import date

from ..demo.content import generate_cases
from ..models.cases import LIMITS

EXTENDED_SHARE = 0.7
# Share of cases with a text of their own; the others resubmit a practice (the generator costs ~1 ms a case).
DISTINCT_SHARE = 0.5
TEXT_FIELDS = ("summary", "organisation", "organisation_type", "contact_name", "contact_phone", "contact_email",
               "scenarios", "task_area", "key_groups", "special_project", "background", "approach", "outcomes",
               "lessons", "replicability")


def _lengthen(item: dict, sibling: dict) -> None:
    for name in ("outcomes", "lessons", "background"):
        extra = sibling[name]
        if len(item[name]) + len(extra) <= LIMITS[name]:
            item[name] += extra


def province_items(code: str, name: str, prefectures: list, n: int, seed: int) -> list[dict]:
    """`n` generated cases of one province, in a random order."""
    if n <= 0:
        return []
    items = generate_cases(n, seed=seed, provinces=[(code, name, prefectures)])
    rng = random.Random(seed)
    by_theme: dict[str, list[dict]] = {}
    for item in items:
        by_theme.setdefault(item["category_hint"], []).append(item)
    originals = {id(i): {k: i[k] for k in ("outcomes", "lessons", "background")} for i in items}
    for item in items:
        siblings = [s for s in by_theme[item["category_hint"]] if s is not item]
        if siblings and rng.random() < EXTENDED_SHARE:
            _lengthen(item, originals[id(rng.choice(siblings))])
    rng.shuffle(items)
    return items


def case_fields(item: dict) -> dict:
    """Keyword arguments for `Case(...)` (title, region and category are set by the caller)."""
    fields = {k: item[k] for k in TEXT_FIELDS}
    fields["period_start"] = date.fromisoformat(item["period_start"])
    fields["period_end"] = date.fromisoformat(item["period_end"]) if item.get("period_end") else None
    return fields


class ProvinceContent:
    """A province's generated cases: fresh ones first, then (past the distinct share) resubmissions."""

    def __init__(self, items: list[dict], rng: random.Random):
        self.items, self.rng, self.used = items, rng, 0

    def take(self) -> dict:
        if self.used < len(self.items):
            self.used += 1
            return self.items[self.used - 1]
        return self.rng.choice(self.items)  # the same practice submitted again, to another campaign


def pool(rows: list[tuple[str, str, list]], counts: dict[str, int], seed: int,
         distinct: float = DISTINCT_SHARE) -> dict[str, ProvinceContent]:
    """Per province code its content: `distinct` of `counts[code]` cases are different texts."""
    out = {}
    for index, (code, name, prefectures) in enumerate(rows):
        n = counts.get(code, 0)
        k = min(n, max(1, math.ceil(n * distinct))) if n else 0
        out[code] = ProvinceContent(province_items(code, name, prefectures, k, seed * 1000 + index),
                                    random.Random(seed + index))
    return out
