"""Campaign defaults (docs/domain.md §5): the default rubric offered to every new campaign."""

from __future__ import annotations

from typing import TypedDict


class CriterionDefaults(TypedDict):
    code: str
    name: str
    max_score: int


# A choice, not a standard: the secretariat may change it per campaign (total 100).
DEFAULT_RUBRIC: tuple[CriterionDefaults, ...] = (
    {"code": "innovation", "name": "创新性", "max_score": 25},
    {"code": "effectiveness", "name": "实效性", "max_score": 30},
    {"code": "replicability", "name": "可复制可推广性", "max_score": 25},
    {"code": "leadership", "name": "示范带动性", "max_score": 20},
)
