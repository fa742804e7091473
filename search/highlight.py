"""Highlighted snippets that are safe to show as HTML.

Matches are found on the raw text, then every piece of text is HTML-escaped and only our own
`<mark>` tags are added: nothing in a case or a query can inject markup.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.utils.html import escape

FRAGMENT_SIZE = 120
LEAD = 20
ELLIPSIS = "…"


class _CharMap(dict):
    """Code point → that character NFKC-normalised and lower-cased, computed once per character."""

    def __missing__(self, code: int) -> str:
        value = unicodedata.normalize("NFKC", chr(code)).lower()
        if not value:  # none known; would break the one-to-one shortcut below
            _VANISHING.add(chr(code))
        self[code] = value
        return value


_CHARS = _CharMap()
_VANISHING: set[str] = set()


def _normalised(text: str) -> tuple[str, list[int] | range]:
    """The text normalised like the index, with each character's position in the original."""
    # One str.translate instead of a Python loop (a search page highlights 20 summaries and
    # bodies). When no character vanished, equal lengths mean every character became exactly
    # one: positions map one to one.
    norm = text.translate(_CHARS)
    if len(norm) == len(text) and (not _VANISHING or _VANISHING.isdisjoint(text)):
        return norm, range(len(text))
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).lower():
            chars.append(c)
            origin.append(i)
    return "".join(chars), origin


def match_spans(text: str, needles: Iterable[str]) -> list[tuple[int, int]]:
    """Merged (start, end) ranges of `text` covered by any needle (needles are normalised)."""
    if not text:
        return []
    norm, origin = _normalised(text)
    covered = bytearray(len(text))
    for needle in needles:
        if not needle:
            continue
        start = norm.find(needle)
        while start != -1:
            end = start + len(needle)
            for i in range(origin[start], origin[end - 1] + 1):
                covered[i] = 1
            start = norm.find(needle, start + 1)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(covered):
        if covered[i]:
            j = i
            while j < len(covered) and covered[j]:
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """`text[start:end]` escaped, with the spans inside it wrapped in <mark>."""
    end = len(text) if end is None else end
    out: list[str] = []
    pos = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight_all(text: str, needles: Iterable[str]) -> str:
    return mark(text, match_spans(text, needles))


def fragment(text: str, needles: Iterable[str], size: int = FRAGMENT_SIZE) -> str | None:
    """The window of `text` with the most matches, escaped and marked; None without a match."""
    spans = match_spans(text, needles)
    if not spans:
        return None
    # Long matches count more than scattered short ones (a whole phrase beats its parts).
    best_start, best_weight = 0, -1
    for s, _e in spans:
        start = max(0, s - LEAD)
        weight = sum((b - a) ** 2 for a, b in spans if a >= start and b <= start + size)
        if weight > best_weight:
            best_start, best_weight = start, weight
    end = min(len(text), best_start + size)
    html = mark(text, spans, best_start, end)
    prefix = ELLIPSIS if best_start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return f"{prefix}{html}{suffix}"


def plain_fragment(text: str, size: int = FRAGMENT_SIZE) -> str:
    """The start of a text, escaped, when nothing in it matched."""
    text = text or ""
    return escape(text[:size]) + (ELLIPSIS if len(text) > size else "")
