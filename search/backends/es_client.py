"""The Elasticsearch client, built from the settings, and what its errors mean.

A default Elasticsearch 8 cluster has security on: HTTPS with a self-signed CA and users or
API keys. The settings (docs/search.md, "Connecting to a secured cluster") reach the client's
transport here; `problems()` says, in Chinese and English, what cannot work, and is what the
system check (`search.checks`) and the backend's constructor use, so a bad value is reported
at start-up and the public search answers from the database instead of failing.

Errors are sorted into two kinds (`translate`): the cluster cannot be reached now
(`BackendUnavailable`: connection refused, timeout, 5xx, 429), on which the service fails over
for a while; and everything else (`BackendError`: 4xx, TLS refused, not Elasticsearch, a
response we cannot read), a fault a person must fix, logged with its body and counted.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from urllib.parse import urlsplit

from .. import conf
from . import BackendError, BackendUnavailable

FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


def hosts(url: str) -> list[str]:
    return [host.strip() for host in url.split(",") if host.strip()]


def redacted(url: str) -> str:
    """A URL safe to print: no user name or password."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        return url.replace(parts.netloc, parts.netloc.rsplit("@", 1)[1])
    return url


def _url_problems(url: str) -> list[str]:
    problems = []
    for host in hosts(url):
        shown = redacted(host)
        try:
            parts = urlsplit(host)
            port = parts.port
        except ValueError:
            problems.append(f"ELASTICSEARCH_URL 中的地址 {shown!r} 无法解析（not a URL）")
            continue
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problems.append(
                f"ELASTICSEARCH_URL 中的地址 {shown!r} 须以 http:// 或 https:// 开头并写明主机"
                f"（needs a scheme and a host, e.g. https://es.example.org:9200）"
            )
        elif port is None:
            problems.append(
                f"ELASTICSEARCH_URL 中的地址 {shown!r} 须写明端口，如 :9200"
                f"（needs an explicit port, e.g. {parts.scheme}://{parts.hostname}:9200）"
            )
    return problems


def _file_problem(name: str, path: str) -> str | None:
    if path and not os.path.isfile(path):
        return f"{name} 指向的文件不存在或不可读：{path}（{name}: no such readable file）"
    return None


def _api_key(value: str) -> str | tuple[str, str]:
    """The `encoded` key as it is, or "id:api_key" as a pair (the client encodes it)."""
    if ":" in value:
        key_id, key = value.split(":", 1)
        return key_id, key
    return value


def _api_key_problem(value: str) -> str | None:
    if not value:
        return None
    if ":" in value:
        return None if all(_api_key(value)) else "SEARCH_ES_API_KEY 须为 “id:api_key” 或 encoded 值（must be id:api_key or the encoded key）"
    try:
        decoded = base64.b64decode(value, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    if ":" not in decoded:
        return "SEARCH_ES_API_KEY 不是有效的 encoded 值（not a valid encoded API key: use the `encoded` field Elasticsearch returned）"
    return None


def options(url: str | None = None, timeout: float | None = None) -> dict:
    """Keyword arguments of `Elasticsearch(...)` from the settings (no validation: see `problems`)."""
    url = conf.elasticsearch_url() if url is None else url
    kwargs: dict = {
        "request_timeout": conf.timeout() if timeout is None else timeout,
        "retry_on_timeout": False,
    }
    if conf.cloud_id():
        kwargs["cloud_id"] = conf.cloud_id()
        kwargs["max_retries"] = 0
    else:
        # Several nodes: a refused connection moves on to the next node; a timeout does not
        # (the database answers instead, search/service.py).
        kwargs["hosts"] = hosts(url)
        kwargs["max_retries"] = max(len(kwargs["hosts"]) - 1, 0)
    if conf.fingerprint():
        kwargs["ssl_assert_fingerprint"] = conf.fingerprint()
    if conf.ca_certs():
        kwargs["ca_certs"] = conf.ca_certs()
    if not conf.verify_certs():
        kwargs["verify_certs"] = False
        kwargs["ssl_show_warn"] = False  # the deploy check warns once, not every connection
    if conf.api_key():
        kwargs["api_key"] = _api_key(conf.api_key())
    if conf.client_cert():
        kwargs["client_cert"] = conf.client_cert()
    if conf.client_key():
        kwargs["client_key"] = conf.client_key()
    return kwargs


def problems() -> list[str]:
    """What in the settings cannot work (empty: the client can be built). Never raises."""
    found: list[str] = []
    for reader in (conf.analyzer, conf.timeout, conf.maintenance_timeout, conf.retry_after, conf.shards,
                   conf.replicas):
        try:
            reader()
        except conf.SettingError as exc:
            found.append(str(exc))
    url, cloud = conf.elasticsearch_url(), conf.cloud_id()
    if url and cloud:
        found.append("ELASTICSEARCH_URL 与 SEARCH_ES_CLOUD_ID 只能设置一个（set one of them, not both）")
    elif url:
        found += _url_problems(url)
    fingerprint = conf.fingerprint().replace(":", "").lower()
    if fingerprint and not FINGERPRINT.match(fingerprint):
        found.append("SEARCH_ES_FINGERPRINT 须为 64 位十六进制的 SHA-256 指纹（must be a SHA-256 fingerprint, 64 hex digits）")
    if fingerprint and conf.ca_certs():
        found.append("SEARCH_ES_FINGERPRINT 与 SEARCH_ES_CA_CERTS 只能设置一个（set one of them, not both）")
    if fingerprint and conf.client_cert():
        found.append("使用客户端证书时请用 SEARCH_ES_CA_CERTS 而非指纹（a client certificate needs SEARCH_ES_CA_CERTS: "
                     "with a fingerprint the client does not send it）")
    if conf.client_key() and not conf.client_cert():
        found.append("设置了 SEARCH_ES_CLIENT_KEY 却没有 SEARCH_ES_CLIENT_CERT（a client key needs its certificate）")
    secured = [name for name, value in (("SEARCH_ES_CA_CERTS", conf.ca_certs()), ("SEARCH_ES_FINGERPRINT", fingerprint),
                                        ("SEARCH_ES_CLIENT_CERT", conf.client_cert())) if value]
    if url and secured and any(h.startswith("http://") for h in hosts(url)):
        found.append(f"{'、'.join(secured)} 只用于 https:// 地址（only apply to https:// URLs; ELASTICSEARCH_URL uses http://）")
    for name, path in (("SEARCH_ES_CA_CERTS", conf.ca_certs()), ("SEARCH_ES_CLIENT_CERT", conf.client_cert()),
                       ("SEARCH_ES_CLIENT_KEY", conf.client_key())):
        if problem := _file_problem(name, path):
            found.append(problem)
    if problem := _api_key_problem(conf.api_key()):
        found.append(problem)
    if not found and (url or cloud):
        try:  # what the client itself refuses (a cloud ID it cannot decode, ...)
            _build(_frozen(options()))
        except Exception as exc:  # noqa: BLE001 - any refusal is a configuration problem to report
            found.append(f"无法用这些设置创建 Elasticsearch 客户端（the client refuses the settings）：{exc}")
    return found


def _frozen(kwargs: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))


@lru_cache(maxsize=8)
def _build(frozen: tuple):
    from elasticsearch import Elasticsearch

    kwargs = {k: list(v) if k == "hosts" else v for k, v in frozen}
    return Elasticsearch(**kwargs)


def client(url: str | None = None, timeout: float | None = None):
    """A client for the configured cluster (one per distinct set of options, kept for the process).

    Call `problems()` first: this raises whatever the client raises for a bad setting."""
    return _build(_frozen(options(url, timeout)))


client.cache_clear = _build.cache_clear  # type: ignore[attr-defined]


def maintenance(es):
    """The same client with the long timeout of index creation, bulk loads and alias swaps."""
    return es.options(request_timeout=conf.maintenance_timeout())


# --- errors ---------------------------------------------------------------------------------


def describe(exc: BaseException) -> str:
    """The error with its status and the server's body (what an operator needs to act)."""
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "meta", None), "status", None)
    body = getattr(exc, "body", None)
    text = f"{type(exc).__name__}"
    if status:
        text += f" {status}"
    if body:
        text += f": {str(body)[:1000]}"
    else:
        text += f": {str(exc)[:1000]}"
    return text


def translate(exc: BaseException) -> Exception:
    """`BackendUnavailable` for what fails over, `BackendError` for faults a person must fix."""
    from elastic_transport import ConnectionError, ConnectionTimeout, TlsError
    from elasticsearch import ApiError

    if isinstance(exc, TlsError):
        return BackendError(f"TLS：{describe(exc)}（检查 SEARCH_ES_CA_CERTS / SEARCH_ES_FINGERPRINT）", kind="tls")
    if isinstance(exc, ConnectionError | ConnectionTimeout):
        return BackendUnavailable(describe(exc))
    if isinstance(exc, ApiError):
        status = exc.meta.status if getattr(exc, "meta", None) is not None else 0
        if status >= 500 or status == 429:
            return BackendUnavailable(describe(exc))
        kind = {401: "auth", 403: "auth"}.get(status, "request")
        if type(exc).__name__ == "UnsupportedProductError":
            kind = "product"
        return BackendError(describe(exc), kind=kind)
    return BackendError(describe(exc), kind="response")


@contextmanager
def translated_errors() -> Iterator[None]:
    """Every error of the client leaves as `BackendUnavailable` or `BackendError`."""
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    try:
        yield
    except (TransportError, ApiError) as exc:
        raise translate(exc) from exc
