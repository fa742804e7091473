"""Search settings, read at call time so tests (and `override_settings`) can change them.

Each setting falls back to the environment variable of the same name, so the search
works before `config/settings` names them explicitly. Readers never raise on a bad value
at request time: `search.checks` reports bad values (`manage.py check`, which `migrate` and
`make serve` run), and the Elasticsearch client is only built from values that passed
(`search/backends/es_client.py`). See docs/search.md, "Connecting to a secured cluster".
"""

from __future__ import annotations

import os

from django.conf import settings

ANALYZERS = ("cjk", "smartcn", "ik_max_word")


class SettingError(ValueError):
    """A search setting has a value that cannot work; the message is Chinese and English."""


def _setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value).strip()


def _number(name: str, default: float, *, minimum: float = 0.0, integer: bool = False) -> float:
    raw = _setting(name, str(default)) or str(default)
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        raise SettingError(f"{name} 必须是数字（{name} must be a number），现为 {raw!r}") from None
    if value < minimum or (not integer and value != value):
        raise SettingError(f"{name} 不能小于 {minimum}（{name} must be at least {minimum}），现为 {raw!r}")
    return value


def results_cache_seconds() -> int:
    """How long the database backend keeps a query's answer (search/backends/db_answers.py); 0: not at all."""
    return int(_number("SEARCH_RESULTS_CACHE_SECONDS", 300, integer=True))


def elasticsearch_url() -> str:
    """One URL or several (comma-separated); empty (and no cloud ID) means the database backend."""
    return _setting("ELASTICSEARCH_URL")


def cloud_id() -> str:
    """An Elastic Cloud deployment's ID, instead of ELASTICSEARCH_URL."""
    return _setting("SEARCH_ES_CLOUD_ID")


def backend_name() -> str:
    """`SEARCH_BACKEND` may force "database"; otherwise ELASTICSEARCH_URL (or a cloud ID) decides."""
    forced = _setting("SEARCH_BACKEND").lower()
    if forced == "database":
        return "database"
    return "elasticsearch" if elasticsearch_url() or cloud_id() else "database"


def analyzer() -> str:
    name = _setting("SEARCH_ES_ANALYZER", "cjk") or "cjk"
    if name not in ANALYZERS:
        raise SettingError(
            f"SEARCH_ES_ANALYZER 只能是 {'、'.join(ANALYZERS)}（must be one of {', '.join(ANALYZERS)}），现为 {name!r}"
        )
    return name


def index_alias() -> str:
    return _setting("SEARCH_ES_INDEX", "casebook-cases") or "casebook-cases"


def synonym_set() -> str:
    """The Elasticsearch synonym set the search analyzers read (search/es_synonyms.py)."""
    return _setting("SEARCH_ES_SYNONYM_SET", "casebook-synonyms") or "casebook-synonyms"


def timeout() -> float:
    """Seconds per search request; short, because a slow cluster must not hold up the public search."""
    return _number("SEARCH_ES_TIMEOUT", 2, minimum=0.1)


def maintenance_timeout() -> float:
    """Seconds per request of index creation, bulk loads, refresh, alias swaps and scrolls."""
    return _number("SEARCH_ES_MAINTENANCE_TIMEOUT", 120, minimum=1)


def retry_after() -> float:
    """Seconds to leave Elasticsearch alone after it failed (answer from the database meanwhile)."""
    return _number("SEARCH_ES_RETRY_AFTER", 30)


def shards() -> int:
    return int(_number("SEARCH_ES_SHARDS", 1, minimum=1, integer=True))


def replicas() -> int:
    return int(_number("SEARCH_ES_REPLICAS", 1, integer=True))


# --- connection to a secured cluster (search/backends/es_client.py) ------------------------


def ca_certs() -> str:
    """Path of the PEM file of the CA that signed the cluster's HTTP certificate."""
    return _setting("SEARCH_ES_CA_CERTS")


def fingerprint() -> str:
    """SHA-256 fingerprint of the cluster's HTTP CA or certificate (instead of a CA file)."""
    return _setting("SEARCH_ES_FINGERPRINT")


def verify_certs() -> bool:
    return _setting("SEARCH_ES_VERIFY_CERTS", "1").lower() not in {"0", "false", "no", "off"}


def api_key() -> str:
    """The `encoded` value Elasticsearch returns for a new API key, or "id:api_key"."""
    return _setting("SEARCH_ES_API_KEY")


def client_cert() -> str:
    return _setting("SEARCH_ES_CLIENT_CERT")


def client_key() -> str:
    return _setting("SEARCH_ES_CLIENT_KEY")
