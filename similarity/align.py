"""Exact passage alignment: the runs of at least `min_run` characters two normalised texts share.

Greedy left-to-right tiling: at each position of the checked text the longest run that starts
there and occurs in the source is taken, and the scan resumes after it. Runs are maximal (a
run found later never starts inside an earlier one), each character of the checked text is
counted once per source, and the result does not depend on the order of the source's
paragraphs, which is what a re-ordered copy needs.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    """A source's shingles of `min_run` characters, built once and aligned against many texts."""

    def __init__(self, text: str, min_run: int, *, only: set[str] | None = None) -> None:
        """`only`: the checked text's shingles, when one text is aligned against many sources;
        the source's other shingles can never start a run, so they are not stored."""
        self.text = text
        self.min_run = min_run
        grams: dict[str, list[int]] = {}
        for j in range(len(text) - min_run + 1):
            gram = text[j : j + min_run]
            if only is None or gram in only:
                grams.setdefault(gram, []).append(j)
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


def shingles(text: str, min_run: int) -> set[str]:
    """Every run of `min_run` characters of a text (for SourceIndex's `only`)."""
    return {text[i : i + min_run] for i in range(len(text) - min_run + 1)}
