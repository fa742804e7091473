"""Character-shingle fingerprints for the candidate index (docs/similarity.md, "Candidates").

Every K-character shingle of the normalised text is hashed; winnowing keeps the smallest hash
of each window of W consecutive shingles (Schleimer, Wilkerson and Aiken, SIGMOD 2003). Two
texts that share a run of at least K + W - 1 characters are guaranteed to share a kept
fingerprint, and similar texts share kept fingerprints in proportion to what they share, which
makes the stored fingerprints a locality-sensitive index: a database table of (hash, case),
looked up with one indexed query, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections import deque
from hashlib import blake2b

# Shingle length and window: a shared run of 13 + 24 - 1 = 36 characters is always found;
# shorter runs are found with a probability that grows with their length. About one
# shingle in twelve is kept (2 / (W + 1)), ~330 rows for a case of 4,000 characters.
SHINGLE = 13
WINDOW = 24


def shingle_hash(shingle: str) -> int:
    """A stable signed 64-bit hash (fits a BigIntegerField), the same in every process."""
    return int.from_bytes(blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def winnow(text: str, *, k: int = SHINGLE, window: int = WINDOW) -> set[int]:
    """The kept fingerprints of a normalised text (all of them when it has fewer than a window)."""
    count = len(text) - k + 1
    if count <= 0:
        return set()
    hashes = [shingle_hash(text[i : i + k]) for i in range(count)]
    if count <= window:
        return {min(hashes)}
    kept: set[int] = set()
    candidates: deque[int] = deque()  # indices of increasing hashes: the window's minimum first
    for i, value in enumerate(hashes):
        while candidates and hashes[candidates[-1]] >= value:
            candidates.pop()
        candidates.append(i)
        if candidates[0] <= i - window:
            candidates.popleft()
        if i >= window - 1:
            kept.add(hashes[candidates[0]])
    return kept
