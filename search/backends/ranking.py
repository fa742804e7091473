"""BM25F over the posting rows of the database index (pure functions, easy to test and tune).

BM25F combines a term's counts in the title, summary, "about" (region, organisation, taxonomy
labels) and body into one weighted count before saturating it, so a title match weighs more
than a body match without a long body drowning everything else.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

FIELDS = ("title", "summary", "about", "body")


@dataclass(frozen=True)
class Params:
    k1: float = 1.2
    weights: dict[str, float] = field(default_factory=lambda: {"title": 5.0, "summary": 2.5, "about": 3.0, "body": 1.0})
    b: dict[str, float] = field(default_factory=lambda: {"title": 0.3, "summary": 0.5, "about": 0.3, "body": 0.75})
    # How much matching every query term matters beyond BM25's sum (0: not at all).
    coordination: float = 0.5
    # Extra weight for a case that has a whole query phrase, not just its words apart.
    phrase_bonus: float = 0.5


DEFAULT = Params()


@dataclass(frozen=True)
class Stats:
    """Index-wide numbers BM25 needs: document count, average field lengths, document frequencies."""

    n_docs: int
    avg_length: dict[str, float]
    df: dict[str, int]


class Posting(NamedTuple):
    """One posting row (a NamedTuple: thousands are made per query, so cheap creation matters)."""

    case_id: int
    term: str
    tf: tuple[int, int, int, int]  # title, summary, about, body
    length: tuple[int, int, int, int]


def idf(n_docs: int, df: int) -> float:
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


def pseudo_tf(posting: Posting, stats: Stats, params: Params) -> float:
    total = 0.0
    for i, name in enumerate(FIELDS):
        tf = posting.tf[i]
        if not tf:
            continue
        avg = stats.avg_length.get(name) or 1.0
        b = params.b[name]
        norm = 1 - b + b * (posting.length[i] / avg)
        total += params.weights[name] * tf / max(norm, 0.05)
    return total


def score(
    postings: Iterable[Posting],
    weights: dict[str, float],
    stats: Stats,
    params: Params = DEFAULT,
    phrases: list[frozenset[str]] | None = None,
) -> dict[int, float]:
    """case id → score, for every case that has at least one of the weighted terms.

    `phrases` are the bigram sets of the query's multi-character runs: a case with all the
    bigrams of a run very likely has the run itself, which beats having its words apart.
    """
    scores: dict[int, float] = {}
    seen: dict[int, float] = {}
    present: dict[int, set[str]] = {}
    idfs = {t: idf(stats.n_docs, stats.df.get(t, 0)) for t in weights}
    for p in postings:
        w = weights.get(p.term)
        if not w:
            continue
        tf = pseudo_tf(p, stats, params)
        scores[p.case_id] = scores.get(p.case_id, 0.0) + w * idfs[p.term] * tf * (params.k1 + 1) / (tf + params.k1)
        seen[p.case_id] = seen.get(p.case_id, 0.0) + w * idfs[p.term]
        present.setdefault(p.case_id, set()).add(p.term)
    possible = sum(w * idfs[t] for t, w in weights.items()) or 1.0
    c = params.coordination
    phrases = [ph for ph in phrases or [] if len(ph) > 1]

    def bonus(cid: int) -> float:
        if not phrases:
            return 1.0
        whole = sum(1 for ph in phrases if ph <= present[cid])
        return 1.0 + params.phrase_bonus * whole / len(phrases)

    return {cid: s * ((1 - c) + c * seen[cid] / possible) * bonus(cid) for cid, s in scores.items()}
