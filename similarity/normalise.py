"""Text normalisation for 查重 (docs/similarity.md): what must not break a match.

Punctuation, whitespace, full-/half-width forms, letter case and traditional/simplified
characters are folded away, one character in, at most one character out, so every character of
the normalised text remembers where it came from in the original (for highlighting passages).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache


@lru_cache(maxsize=1)
def _traditional_to_simplified() -> dict[int, str]:
    """Single-character traditional→simplified pairs from zhconv's MediaWiki tables.

    Phrase entries are left out on purpose: they could change a text's length, and a
    character-level fold is what keeps positions; the single characters cover the copies
    that matter (a whole text typed or converted in traditional characters).
    """
    from zhconv import zhconv

    zhconv.loaddict()
    table = zhconv.zhcdicts["zh2Hans"]
    return {ord(k): v for k, v in table.items() if len(k) == 1 and len(v) == 1}


def _keeps(char: str) -> bool:
    """Letters and digits carry the text; punctuation, symbols, spaces and controls do not."""
    return unicodedata.category(char)[0] in "LN"


def _fold(char: str) -> str:
    """One character folded: "" when it is dropped, else exactly one character."""
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    # NFKC turns full-width letters, digits and punctuation into their ASCII forms.
    folded = unicodedata.normalize("NFKC", char)[:1]
    if not folded or not _keeps(folded):
        return ""
    return _traditional_to_simplified().get(ord(folded), folded).lower()


class _FoldTable(dict):
    """str.translate's table, filled on first sight of each character (texts use a few thousand)."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _fold(chr(code))
        return value


_TABLE = _FoldTable()


class _MarkTable(dict):
    """Like _TABLE, but a dropped character becomes NUL instead of nothing (same length as the
    original, so where the dropped characters were can be found at C speed)."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _TABLE[code] or DROPPED
        return value


DROPPED = "\x00"  # never kept by the fold (a control character)
_MARKS = _MarkTable()


@dataclass(frozen=True)
class Normalised:
    text: str  # the folded characters
    # gaps[t]: how many kept characters come before the t-th dropped one (few: punctuation and
    # spaces), which is all it takes to find where any folded character came from.
    gaps: tuple[int, ...]

    def position(self, index: int) -> int:
        """Where text[index] came from in the original: its index plus the dropped characters before it."""
        return index + bisect_right(self.gaps, index)

    @property
    def positions(self) -> tuple[int, ...]:
        """positions[i]: where text[i] came from in the original."""
        return tuple(self.position(i) for i in range(len(self.text)))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's [start, end) that the normalised [start, end) covers."""
        return self.position(start), self.position(end - 1) + 1


def normalise(text: str) -> Normalised:
    """Fold `text` for matching, keeping where each character came from; see the module docstring.
    One str.translate; the dropped characters are then found with str.find (no Python-level loop
    over every character: a report normalises each of its candidates)."""
    marked = text.translate(_MARKS)
    gaps, at = [], marked.find(DROPPED)
    while at != -1:
        gaps.append(at - len(gaps))
        at = marked.find(DROPPED, at + 1)
    return Normalised(marked.replace(DROPPED, "") if gaps else marked, tuple(gaps))


def normalise_plain(text: str) -> str:
    """Only the folded text (the index, organisation names): str.translate, at C speed."""
    return text.translate(_TABLE)
