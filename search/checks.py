"""System checks of the search settings (`manage.py check`, which `migrate` and so `make serve`
run; `check --deploy` adds the warnings that matter in production). See docs/search.md."""

from __future__ import annotations

from django.core.checks import Error, Warning, register

from . import conf
from .backends.es_client import problems


@register("search")
def search_settings_check(app_configs, **kwargs):
    """Bad Elasticsearch settings stop start-up with a clear message, instead of a silent fallback."""
    if conf.backend_name() != "elasticsearch" and not conf.elasticsearch_url():
        return []
    return [Error(problem, hint="docs/search.md: Connecting to a secured cluster", id="search.E001")
            for problem in problems()]


@register("search", deploy=True)
def search_deploy_check(app_configs, **kwargs):
    if conf.backend_name() != "elasticsearch":
        return []
    found = []
    if not conf.verify_certs():
        found.append(Warning(
            "SEARCH_ES_VERIFY_CERTS=0：不校验 Elasticsearch 的证书，连接可被冒充"
            "（certificates are not verified: set SEARCH_ES_CA_CERTS or SEARCH_ES_FINGERPRINT instead）",
            id="search.W001"))
    url = conf.elasticsearch_url()
    if url and any(host.strip().startswith("http://") for host in url.split(",")) and not conf.cloud_id():
        found.append(Warning(
            "ELASTICSEARCH_URL 使用 http://：检索请求与凭据以明文传输"
            "（plain HTTP: Elasticsearch 8 serves HTTPS by default; use https:// unless the cluster is on a private network）",
            id="search.W002"))
    return found
