"""The check itself: candidates from the index, exact alignment, the four figures (docs/similarity.md).

Pure computation over texts already read; `services.py` reads the database and stores results.
Every figure is a share of the checked text's normalised characters (punctuation and spaces do
not count), and a character is counted once however many sources share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .align import Checked, Run, covered
from .corpus import PolicyCorpus
from .normalise import Normalised, normalise
from .texts import case_text, unit_key


@dataclass
class SourceResult:
    kind: str  # "case" | "policy"
    title: str
    ratio: float
    passages: list[list[int]]  # [start, end, source_start, source_end] in the original texts
    case_id: int | None = None
    policy_id: int | None = None
    same_organisation: bool = False


@dataclass
class Result:
    text: str
    min_run: int = 13
    threshold: int = 30
    total_ratio: float = 0.0
    max_single_ratio: float = 0.0
    ratio_excluding_own: float = 0.0
    ratio_excluding_policy: float = 0.0
    ratio_other_units: float = 0.0
    flagged: bool = False
    same_organisation_flagged: bool = False
    sources: list[SourceResult] = field(default_factory=list)


@dataclass(frozen=True)
class Unit:
    """Who wrote the checked text: its sources of the same unit are a re-submission, not copying."""

    organisation: str = ""
    region_id: str = ""

    def same_as(self, other) -> bool:
        """Same organisation (names folded) when both name one; otherwise the same region."""
        mine, theirs = unit_key(self.organisation), unit_key(other.organisation)
        if mine and theirs:
            return mine == theirs
        return bool(self.region_id) and self.region_id == other.region_id


def _passages(runs: list[Run], checked: Normalised, source: Normalised, source_offset: int = 0) -> list[list[int]]:
    out = []
    for run in runs:
        start, end = checked.original_span(run.start, run.end)
        source_start, source_end = source.original_span(run.source_start - source_offset, run.source_end - source_offset)
        out.append([start, end, source_start, source_end])
    return out


def _ratio(mask: bytearray, size: int) -> float:
    return round(mask.count(1) / size, 4) if size else 0.0


def _union_ratio(masks: list[bytearray], size: int) -> float:
    """Share of the characters covered by any of the masks (bytes are 0 or 1, so OR-ing the
    masks as big integers is a byte-wise OR, and the set bits count the covered characters)."""
    union = 0
    for mask in masks:
        union |= int.from_bytes(mask, "big")
    return round(union.bit_count() / size, 4) if size else 0.0


class SourceTexts:
    """Candidate sources' normalised texts by case id (a batch's candidates overlap)."""

    def __init__(self) -> None:
        self._found: dict[int, Normalised] = {}

    def get(self, case) -> Normalised:
        found = self._found.get(case.pk)
        if found is None:
            found = self._found[case.pk] = normalise(case_text(case))
        return found


def check(
    text: str, *, cases: list, unit: Unit, corpus: PolicyCorpus, min_run: int, threshold: int,
    sources: SourceTexts | None = None,
) -> Result:
    """Align `text` against candidate `cases` (Case objects) and the policy corpus.

    `sources`: the candidates' normalised texts, reused across the reports of a batch (a
    campaign's candidates overlap: duplicates find each other)."""
    sources = SourceTexts() if sources is None else sources
    checked = normalise(text)
    size = len(checked.text)
    result = Result(text=text, min_run=min_run, threshold=threshold)
    if not size:
        return result
    masks: list[tuple[SourceResult, bytearray]] = []
    # The policy corpus: one joined index; runs are split by the text they fall in.
    by_policy: dict[int, list[Run]] = {}
    for run in corpus.index.align(checked.text):
        by_policy.setdefault(corpus.entry_at(run.source_start).policy_id, []).append(run)
    entries = {e.policy_id: e for e in corpus.entries}
    for policy_id, runs in by_policy.items():
        entry = entries[policy_id]
        mask = covered(runs, size)
        source = SourceResult(
            kind="policy", title=entry.title, ratio=_ratio(mask, size), policy_id=policy_id,
            passages=_passages(runs, checked, entry.normalised, entry.offset),
        )
        masks.append((source, mask))
    prepared = Checked(checked.text, min_run)
    for case in cases:
        normalised_source = sources.get(case)
        runs = prepared.align(normalised_source.text)
        if not runs:
            continue
        mask = covered(runs, size)
        source = SourceResult(
            kind="case", title=case.title, ratio=_ratio(mask, size), case_id=case.pk,
            same_organisation=unit.same_as(case), passages=_passages(runs, checked, normalised_source),
        )
        masks.append((source, mask))
    masks.sort(key=lambda pair: (-pair[0].ratio, pair[0].kind, pair[0].title))
    result.sources = [source for source, _ in masks]
    result.total_ratio = _union_ratio([m for _, m in masks], size)
    result.max_single_ratio = max((s.ratio for s in result.sources), default=0.0)
    result.ratio_excluding_own = _union_ratio([m for s, m in masks if not s.same_organisation], size)
    result.ratio_excluding_policy = _union_ratio([m for s, m in masks if s.kind != "policy"], size)
    result.ratio_other_units = _union_ratio(
        [m for s, m in masks if s.kind != "policy" and not s.same_organisation], size
    )
    limit = threshold / 100
    result.flagged = result.ratio_other_units >= limit
    result.same_organisation_flagged = any(s.same_organisation and s.ratio >= limit for s in result.sources)
    return result
