"""Homophone typo correction: 适老画 → 适老化, 直播代货 → 直播带货, 数字洪沟 → 数字鸿沟.

Most Chinese typos come from pinyin keyboards: the right syllables, the wrong character. When a
query finds nothing or very little, each character that sits in a pair of characters no
published case contains is tried with the common characters read the same way (toneless
pinyin, pypinyin); a replacement is kept when every pair it makes occurs in the index. The
corrected query is searched too: if it finds clearly more, its results are shown ("已为您显示
“…”的结果"), otherwise it is offered ("您要找的是“…”？"). The vocabulary is the database
index's, which is kept whichever backend answers (docs/search.md, "Typo correction").
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

from django.db.models import Count

from .models import IndexTerm
from .query import SearchQuery, SearchResults
from .segment import bigrams, runs

# Correction is tried when fewer cases than this match the whole query.
TRY_BELOW = 3
# Longest run corrected (a longer one is a sentence: its words carry it, see coverage).
MAX_RUN = 12
# At most this many characters read alike are tried per position.
MAX_HOMOPHONES = 40

_lock = threading.Lock()
_homophones: dict[str, tuple[str, ...]] | None = None


def _common_characters() -> list[str]:
    """GB2312 level 1: the 3,755 most common characters, the ones a pinyin keyboard offers first."""
    out = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                out.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def readings(char: str) -> tuple[str, ...]:
    """The toneless pinyin readings of one character (every reading of a heteronym)."""
    from pypinyin import Style, pinyin

    return tuple(dict.fromkeys(pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")[0]))


def homophones() -> dict[str, tuple[str, ...]]:
    """reading → the common characters with that reading (built once per process)."""
    global _homophones
    if _homophones is None:
        with _lock:
            if _homophones is None:
                table: dict[str, list[str]] = {}
                for char in _common_characters():
                    for reading in readings(char):
                        table.setdefault(reading, []).append(char)
                _homophones = {r: tuple(chars) for r, chars in table.items()}
    return _homophones


def alike(char: str) -> list[str]:
    """Common characters read like `char`, itself excluded."""
    table = homophones()
    found = dict.fromkeys(c for r in readings(char) for c in table.get(r, ())[:MAX_HOMOPHONES])
    found.pop(char, None)
    return list(found)


def _variants(run: str) -> list[tuple[int, str]]:
    return [(i, c) for i in range(len(run)) for c in alike(run[i])]


def _pairs_made(run: str, i: int, char: str) -> list[str]:
    pairs = []
    if i > 0:
        pairs.append(run[i - 1] + char)
    if i < len(run) - 1:
        pairs.append(char + run[i + 1])
    return pairs


def document_frequencies(terms: set[str]) -> dict[str, int]:
    """How many published cases hold each term (one grouped query over the posting index)."""
    if not terms:
        return {}
    rows = IndexTerm.objects.filter(term__in=sorted(terms)).values_list("term").annotate(n=Count("case_id")).order_by()
    return dict(rows)


def correct(text: str) -> str:
    """`text` with at most one character per run replaced by a homophone that makes every
    character pair of the run occur in the index; `text` itself when nothing fits."""
    han = [run for run, is_han in runs(text) if is_han and 2 <= len(run) <= MAX_RUN]
    wanted: set[str] = set()
    plans = []
    for run in han:
        variants = _variants(run)
        wanted.update(bigrams(run))
        for i, char in variants:
            wanted.update(_pairs_made(run, i, char))
        plans.append((run, variants))
    df = document_frequencies(wanted)
    fixed = text
    for run, variants in plans:
        pairs = bigrams(run)
        unknown = {i for i, pair in enumerate(pairs) if not df.get(pair)}
        if not unknown:
            continue
        # Characters in an unknown pair; a fix must make every pair it touches known.
        suspects = {i for p in unknown for i in (p, p + 1)}
        best, best_score = None, 0
        for i, char in variants:
            if i not in suspects:
                continue
            made = _pairs_made(run, i, char)
            left_unknown = unknown - {i - 1, i}
            if left_unknown or not made or not all(df.get(p) for p in made):
                continue
            score = min(df[p] for p in made)
            if score > best_score:
                best, best_score = run[:i] + char + run[i + 1 :], score
        if best:
            fixed = fixed.replace(run, best, 1)
    return fixed


def strength(results: SearchResults) -> int:
    """Cases matching the whole query (all of them when the backend does not say)."""
    return results.full_total if results.full_total is not None else results.total


def clearly_more(found: int, before: int) -> bool:
    return found >= 2 * before + 2


def apply(query: SearchQuery, results: SearchResults, search: Callable[[SearchQuery], SearchResults]) -> SearchResults:
    """The results to show for `query`: its own, the corrected query's (`corrected_query` set)
    when those are clearly more, or its own with `suggested_query` when they are merely more."""
    if not query.q or not query.correct or strength(results) >= TRY_BELOW:
        return results
    fixed = correct(query.q)
    if fixed == query.q:
        return results
    other = search(replace(query, q=fixed))
    if clearly_more(strength(other), strength(results)):
        other.corrected_query = fixed
        return other
    if strength(other) > strength(results):
        results.suggested_query = fixed
    return results
