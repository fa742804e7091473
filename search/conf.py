"""Search settings, read at call time so tests (and `override_settings`) can change them.

Each setting falls back to the environment variable of the same name, so the search
works before `config/settings` names them explicitly.
"""

from __future__ import annotations

import os

from django.conf import settings

ANALYZERS = ("cjk", "smartcn", "ik_max_word")


def _setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value).strip()


def elasticsearch_url() -> str:
    """Empty means: no Elasticsearch, the database backend answers."""
    return _setting("ELASTICSEARCH_URL")


def backend_name() -> str:
    """`SEARCH_BACKEND` may force "database"; otherwise ELASTICSEARCH_URL decides."""
    forced = _setting("SEARCH_BACKEND").lower()
    if forced == "database":
        return "database"
    return "elasticsearch" if elasticsearch_url() else "database"


def analyzer() -> str:
    name = _setting("SEARCH_ES_ANALYZER", "cjk") or "cjk"
    if name not in ANALYZERS:
        raise ValueError(f"SEARCH_ES_ANALYZER must be one of {ANALYZERS}, not {name!r}")
    return name


def index_alias() -> str:
    return _setting("SEARCH_ES_INDEX", "casebook-cases") or "casebook-cases"


def synonym_set() -> str:
    """The Elasticsearch synonym set the search analyzers read (search/es_synonyms.py)."""
    return _setting("SEARCH_ES_SYNONYM_SET", "casebook-synonyms") or "casebook-synonyms"


def timeout() -> float:
    """Seconds; short, because a slow cluster must not hold up the public search."""
    return float(_setting("SEARCH_ES_TIMEOUT", "2") or 2)


def retry_after() -> float:
    """Seconds to leave Elasticsearch alone after it failed (answer from the database meanwhile)."""
    return float(_setting("SEARCH_ES_RETRY_AFTER", "30") or 30)
