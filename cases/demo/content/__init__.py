"""Deterministic generator of realistic Chinese demo case content (stdlib only).

Usage::

    from cases.demo.content import generate_cases, THEMES
    cases = generate_cases(320, seed=2026, provinces=[("440000", "广东省", [("440100", "广州市")])])
"""
from . import generator as _gen
from .themes_a import ELDERLY, RURAL
from .themes_b import VETERANS, WORKERS
from .themes_c import THEMES_C
from .themes_d import THEMES_D
from .themes_e import THEMES_E
from .themes_f import THEMES_F
from .themes_g import THEMES_G
from .themes_h import THEMES_H

_THEME_DATA = [ELDERLY, RURAL, VETERANS, WORKERS] + THEMES_C + THEMES_D + THEMES_E + THEMES_F + THEMES_G + THEMES_H

THEMES = [t["code"] for t in _THEME_DATA]
THEME_NAMES = {t["code"]: t["name"] for t in _THEME_DATA}


def generate_cases(n, *, seed=2026, provinces):
    """Return ``n`` case dicts spread over ``provinces`` (deterministic for a given seed)."""
    return _gen.generate_cases(_THEME_DATA, n, seed, provinces)


__all__ = ["generate_cases", "THEMES", "THEME_NAMES"]
