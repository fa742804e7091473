"""How much of a query each case covers, and which cases a query returns (pure functions).

A case is returned when it matches the query fully (every run, or three quarters of more than
three, as before), or when it has most of the query's words: a partial match ranks below the
full ones instead of vanishing. When no case has most of the words, those that have any of them
are returned, so a query with one word that occurs somewhere never comes back empty. The sort
key is (runs matched, runs matched as typed, words matched), then the BM25F score inside a tier:
a case with the text as typed ranks above one found through a synonym, a full match above a
partial one. The tiers are integers computed from which term sets a case has complete, which
SQL can compute too (docs/search.md, "Partial matches").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..segment import AnalysedQuery


@dataclass(frozen=True)
class Coverage:
    full_runs: int  # runs matched, as typed or through a synonym
    literal_runs: int  # runs matched as typed
    units: int  # words (or runs without words) matched
    missing: tuple[str, ...]  # the query's words this case lacks (for partial matches)

    @property
    def tier(self) -> tuple[int, int, int]:
        return self.full_runs, self.literal_runs, self.units


def assess(aq: AnalysedQuery, complete: set[frozenset[str]]) -> Coverage:
    """The coverage of one case, given the term sets (`aq.atoms`) it has complete."""
    full = literal = units = 0
    missing: list[str] = []
    for group in aq.groups:
        run_any = any(f in complete for f in group.run.forms)
        run_literal = group.run.literal in complete
        parts_any = [p for p in group.parts if any(f in complete for f in p.forms)]
        if group.words_needed:
            run_any = run_any or len(parts_any) >= group.words_needed
            literal_parts = sum(1 for p in group.parts if p.literal in complete)
            run_literal = run_literal or literal_parts >= group.words_needed
        full += run_any
        literal += run_literal
        if run_any:
            units += len(group.parts)
        else:
            units += len(parts_any)
            missing += [p.text for p in group.parts if p not in parts_any]
    return Coverage(full, literal, units, tuple(dict.fromkeys(missing)))


def total_units(aq: AnalysedQuery) -> int:
    return sum(len(g.parts) for g in aq.groups)


def is_full(aq: AnalysedQuery, coverage: Coverage) -> bool:
    return coverage.full_runs >= aq.groups_needed


def accepted(aq: AnalysedQuery, coverages: dict[int, Coverage]) -> list[int]:
    """The cases returned: full matches and those with most of the words; else any word."""
    units = total_units(aq)
    chosen = [cid for cid, c in coverages.items() if is_full(aq, c) or 2 * c.units >= units]
    if not chosen:
        chosen = [cid for cid, c in coverages.items() if c.units > 0]
    return chosen


def of_masks(aq: AnalysedQuery, masks: dict[int, int]) -> tuple[dict[int, Coverage], list[str]]:
    """Each case's coverage from its bit mask of complete atoms (bit i: `aq.atoms[i]`; cases
    sharing a mask share one assessment), and the query's words that no case has."""
    atoms = aq.atoms
    assessed: dict[int, Coverage] = {}
    somewhere = 0
    for mask in set(masks.values()):
        somewhere |= mask
        assessed[mask] = assess(aq, {a for i, a in enumerate(atoms) if mask >> i & 1})
    found = {a for i, a in enumerate(atoms) if somewhere >> i & 1}
    return {cid: assessed[mask] for cid, mask in masks.items()}, missing_everywhere(aq, found)


def missing_everywhere(aq: AnalysedQuery, complete_somewhere: set[frozenset[str]]) -> list[str]:
    """The query's words that no case has in any form (shown struck through)."""
    out = []
    for group in aq.groups:
        if any(f in complete_somewhere for f in group.run.forms):
            continue
        out += [p.text for p in group.parts if not any(f in complete_somewhere for f in p.forms)]
    return list(dict.fromkeys(out))
