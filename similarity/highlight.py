"""Texts cut into plain and highlighted pieces, for the side-by-side page and the PDF."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool
    number: int = 0  # 1-based passage number of a highlighted piece (pairs the two sides)


def pieces(text: str, spans: list[tuple[int, int]]) -> list[Piece]:
    """`text` with the [start, end) spans highlighted, numbered in the order given."""
    out: list[Piece] = []
    position = 0
    numbered = sorted((start, end, n) for n, (start, end) in enumerate(spans, start=1))
    for start, end, number in numbered:
        start = max(start, position)
        if end <= start:
            continue
        if start > position:
            out.append(Piece(text[position:start], False))
        out.append(Piece(text[start:end], True, number))
        position = end
    if position < len(text):
        out.append(Piece(text[position:], False))
    return out
