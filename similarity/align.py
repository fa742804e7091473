"""Exact passage alignment: the runs of at least `min_run` characters two normalised texts share.

Greedy left-to-right tiling: at each position of the checked text the longest run that starts
there and occurs in the source is taken, and the scan resumes after it. Runs are maximal (a
run found later never starts inside an earlier one), each character of the checked text is
counted once per source, and the result does not depend on the order of the source's
paragraphs, which is what a re-ordered copy needs.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import chain

# How many occurrences of one shingle in a source are tried (boilerplate repeats; the longest
# of the first few is what matters).
MAX_TRIES = 16


@dataclass(frozen=True)
class Run:
    start: int  # in the checked (normalised) text
    end: int
    source_start: int  # in the source (normalised) text
    source_end: int

    @property
    def length(self) -> int:
        return self.end - self.start


class SourceIndex:
    """A source's shingles of `min_run` characters, built once and aligned against many texts
    (the policy corpus; `Checked` is the other way round, for one text against many sources)."""

    def __init__(self, text: str, min_run: int) -> None:
        self.text = text
        self.min_run = min_run
        grams: dict[str, list[int]] = {}
        for j in range(len(text) - min_run + 1):
            grams.setdefault(text[j : j + min_run], []).append(j)
        self.grams = grams

    def align(self, checked: str) -> list[Run]:
        source, m, grams = self.text, self.min_run, self.grams
        runs: list[Run] = []
        if not grams:
            return runs
        i, n = 0, len(checked)
        while i <= n - m:
            starts = grams.get(checked[i : i + m])
            if starts is None:
                i += 1
                continue
            best_len, best_j = 0, 0
            for j in starts[:MAX_TRIES]:
                length = m + _common_prefix(checked, i + m, source, j + m)
                if length > best_len:
                    best_len, best_j = length, j
            runs.append(Run(i, i + best_len, best_j, best_j + best_len))
            i += best_len
        return runs


class Checked:
    """The checked text's shingles and where they start, prepared once per report and aligned
    against each candidate source (`align`)."""

    def __init__(self, text: str, min_run: int) -> None:
        self.text = text
        self.min_run = min_run
        starts: dict[str, list[int]] = {}
        for i in range(len(text) - min_run + 1):
            starts.setdefault(text[i : i + min_run], []).append(i)
        self.starts = starts

    def align(self, source: str) -> list[Run]:
        """`SourceIndex(source, min_run).align(self.text)`, for the cost of one pass over the
        source: the shingles both texts share (a set intersection), then the greedy tiling visits
        only the checked positions where a shared shingle starts (every other position would be
        stepped over), and finds the source's occurrences with str.find (the first MAX_TRIES, in
        order, as the index would list them). Most candidates share few shingles, so this is
        where a report's time goes no longer."""
        m, checked, starts = self.min_run, self.text, self.starts
        shared = starts.keys() & {source[j : j + m] for j in range(len(source) - m + 1)}
        runs: list[Run] = []
        if not shared:
            return runs
        hits = sorted(chain.from_iterable(map(starts.__getitem__, shared)))
        k = 0
        while k < len(hits):
            i = hits[k]
            gram = checked[i : i + m]
            best_len, best_j, tries = 0, 0, 0
            j = source.find(gram)
            while j != -1 and tries < MAX_TRIES:
                length = m + _common_prefix(checked, i + m, source, j + m)
                if length > best_len:
                    best_len, best_j = length, j
                tries += 1
                j = source.find(gram, j + 1)
            runs.append(Run(i, i + best_len, best_j, best_j + best_len))
            k = bisect_left(hits, i + best_len, k + 1)  # the next shared start after this run
        return runs


def _common_prefix(a: str, i: int, b: str, j: int) -> int:
    """How many characters a[i:] and b[j:] share at their start (compared in growing steps)."""
    length, step = 0, 16
    while True:
        chunk_a = a[i + length : i + length + step]
        if not chunk_a or chunk_a != b[j + length : j + length + step]:
            break
        length += len(chunk_a)
        if len(chunk_a) < step:
            return length
        step = min(step * 2, 1024)
    limit = min(len(a) - i, len(b) - j, length + step)
    while length < limit and a[i + length] == b[j + length]:
        length += 1
    return length


def covered(runs: list[Run], size: int) -> bytearray:
    """A 0/1 mask over the checked text: which characters these runs cover."""
    mask = bytearray(size)
    for run in runs:
        mask[run.start : run.end] = b"\x01" * run.length
    return mask
