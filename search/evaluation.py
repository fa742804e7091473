"""Measuring relevance: nDCG@10 and recall@10 over the labelled queries in bench/relevance.

Judged cases are named by title (the demo generator is deterministic; ids are not), graded
2 (highly relevant) or 1 (relevant); unjudged cases count as not relevant.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Q

from . import correction
from .extract import BODY_SECTIONS, searchable_cases
from .query import SearchQuery

K = 10
DEFAULT_QUERIES = Path(settings.BASE_DIR) / "bench" / "relevance" / "queries.json"
# The colloquial, synonym and homophone-typo set of issue 20, frozen separately (docs/search.md).
COLLOQUIAL_QUERIES = Path(settings.BASE_DIR) / "bench" / "relevance" / "colloquial.json"
Ranker = Callable[[str], list[int]]


@dataclass
class Judged:
    id: str
    query: str
    grades: dict[str, int]  # title → grade
    kind: str = ""  # colloquial set: synonym, colloquial or typo


@dataclass
class QueryScore:
    id: str
    query: str
    ndcg: float
    recall: float
    ranked: list[int] = field(default_factory=list)
    hit: bool = False  # a judged case in the top k
    kind: str = ""


def load(path: Path = DEFAULT_QUERIES) -> list[Judged]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        Judged(q["id"], q["query"], {r["title"]: int(r["grade"]) for r in q["relevant"]}, q.get("kind", ""))
        for q in data["queries"]
    ]


def dcg(gains: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: list[int], grades: dict[int, int], k: int = K) -> float:
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(cid, 0) for cid in ranked[:k]]) / ideal if ideal else 0.0


def recall_at(ranked: list[int], grades: dict[int, int], k: int = K) -> float:
    relevant = {cid for cid, g in grades.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def title_ids(judged: list[Judged]) -> tuple[dict[str, int], list[str]]:
    """Published cases by title, and the judged titles that are not there (demo not loaded?)."""
    wanted = {t for j in judged for t in j.grades}
    found = dict(searchable_cases().filter(title__in=wanted).values_list("title", "pk"))
    return found, sorted(wanted - set(found))


def evaluate(rank: Ranker, judged: list[Judged], ids: dict[str, int], k: int = K) -> list[QueryScore]:
    scores = []
    for j in judged:
        grades = {ids[t]: g for t, g in j.grades.items() if t in ids}
        ranked = rank(j.query)
        hit = bool(set(ranked[:k]) & {cid for cid, g in grades.items() if g > 0})
        scores.append(QueryScore(j.id, j.query, ndcg_at(ranked, grades, k), recall_at(ranked, grades, k), ranked[:k],
                                 hit, j.kind))
    return scores


def hit_rates(scores: list[QueryScore]) -> dict[str, float]:
    """Share of queries with a judged case in the top k, per kind (empty for an unlabelled set)."""
    kinds = sorted({s.kind for s in scores if s.kind})
    return {kind: mean([float(s.hit) for s in scores if s.kind == kind]) for kind in kinds}


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def backend_ranker(backend) -> Ranker:
    """The backend's ranking as a visitor sees it: with the homophone correction applied."""

    def rank(q: str) -> list[int]:
        query = SearchQuery(q=q, page_size=K)
        return correction.apply(query, backend.search(query), backend.search).case_ids

    return rank


def like_ranking(q: str, limit: int = K) -> list[int]:
    """A plain baseline (and the second ranking for pooling): every word as a substring, ranked
    by occurrences, title ×3 and summary ×2. No segmentation, no idf."""
    parts = q.split()
    if not parts:
        return []
    fields = ("title", "summary", *BODY_SECTIONS)
    qs = searchable_cases()
    for part in parts:
        qs = qs.filter(Q(*[Q(**{f"{f}__contains": part}) for f in fields], _connector=Q.OR))
    rows = qs.values("pk", "published_at", *fields)

    def score(row) -> int:
        body = "".join(row[f] or "" for f in BODY_SECTIONS)
        return sum(3 * row["title"].count(p) + 2 * (row["summary"] or "").count(p) + body.count(p) for p in parts)

    ranked = sorted(rows, key=lambda r: (score(r), r["published_at"], r["pk"]), reverse=True)
    return [r["pk"] for r in ranked[:limit]]
