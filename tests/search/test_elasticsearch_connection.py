"""Connection settings reach the wire: the real `elasticsearch` client against the stand-in over
HTTPS with a CA generated here (tests/search/tls.py). Bad settings are reported by
`manage.py check --deploy` and never turn into a 500: the public search answers from the database."""

from __future__ import annotations

import base64
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from search import health, service
from search.backends.es_client import client, problems
from search.query import SearchQuery
from tests.security import es_stand_in

from . import tls
from .conftest import finished_campaign, import_case

pytestmark = pytest.mark.django_db
ENCODED_KEY = base64.b64encode(b"key-id:key-secret").decode()


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return tls.make(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def https(pki):
    server = es_stand_in.start(certfile=str(pki.server_chain), keyfile=str(pki.server_key))
    yield server
    es_stand_in.stop(server)
    client.cache_clear()


def _ping(settings, server) -> dict:
    """One real request through the configured client; what the stand-in received."""
    assert problems() == []
    client().indices.exists(index="casebook-probe")
    return server.state["requests"][-1]


def test_a_ca_file_and_an_api_key_reach_the_transport(settings, https, pki):
    settings.ELASTICSEARCH_URL = f"https://127.0.0.1:{https.server_port}"
    settings.SEARCH_ES_CA_CERTS = str(pki.ca)
    settings.SEARCH_ES_API_KEY = ENCODED_KEY
    request = _ping(settings, https)
    assert request["headers"]["authorization"] == f"ApiKey {ENCODED_KEY}"
    assert request["path"] == "/casebook-probe"


def test_an_api_key_given_as_id_and_secret_is_encoded(settings, https, pki):
    settings.ELASTICSEARCH_URL = f"https://127.0.0.1:{https.server_port}"
    settings.SEARCH_ES_CA_CERTS = str(pki.ca)
    settings.SEARCH_ES_API_KEY = "key-id:key-secret"
    assert _ping(settings, https)["headers"]["authorization"] == f"ApiKey {ENCODED_KEY}"


def test_the_ca_fingerprint_elasticsearch_prints_is_enough(settings, https, pki):
    settings.ELASTICSEARCH_URL = f"https://127.0.0.1:{https.server_port}"
    settings.SEARCH_ES_FINGERPRINT = pki.ca_fingerprint
    assert _ping(settings, https)["path"] == "/casebook-probe"


def test_a_client_certificate_is_presented(settings, pki):
    server = es_stand_in.start(certfile=str(pki.server_chain), keyfile=str(pki.server_key), client_ca=str(pki.ca))
    try:
        settings.ELASTICSEARCH_URL = f"https://127.0.0.1:{server.server_port}"
        settings.SEARCH_ES_CA_CERTS = str(pki.ca)
        settings.SEARCH_ES_CLIENT_CERT = str(pki.client_cert)
        settings.SEARCH_ES_CLIENT_KEY = str(pki.client_key)
        peer = _ping(settings, server)["peer"]
        assert dict(x[0] for x in peer["subject"])["commonName"] == "casebook-app"
    finally:
        es_stand_in.stop(server)
        client.cache_clear()


def test_verification_can_be_switched_off_and_the_deploy_check_warns(settings, https):
    settings.ELASTICSEARCH_URL = f"https://127.0.0.1:{https.server_port}"
    settings.SEARCH_ES_VERIFY_CERTS = "0"
    assert _ping(settings, https)["path"] == "/casebook-probe"
    out = _check(deploy=True)
    assert "search.W001" in out


def test_an_untrusted_certificate_is_a_tls_fault_not_an_outage(settings, https, django_capture_on_commit_callbacks,
                                                               caplog):
    """The certifi bundle alone does not trust the cluster's own CA: loud, counted, never 'down'."""
    campaign = finished_campaign("c-tls", 2025)
    with django_capture_on_commit_callbacks(execute=True):
        case = import_case(campaign, title="证书未受信任时的检索", region="440100", day=1)
    settings.ELASTICSEARCH_URL = f"https://127.0.0.1:{https.server_port}"
    results = service.search_cases(SearchQuery(q="证书"))
    assert results.backend == "database" and results.case_ids == [case.pk]
    assert health.counts(1)["tls"] == 1 and health.counts(1)["unavailable"] == 0
    assert not service.breaker.is_open()
    assert any(r.levelname == "ERROR" and "kind=tls" in r.getMessage() for r in caplog.records)


def test_a_cloud_id_becomes_an_https_node(settings):
    host = base64.b64encode(b"example.cn-north-1.aws.example.com:9243$abc123$kib456").decode()
    settings.SEARCH_ES_CLOUD_ID = f"casebook:{host}"
    assert problems() == []
    (node,) = client().transport.node_pool.all()
    assert (node.config.scheme, node.config.host, node.config.port) == ("https", "abc123.example.cn-north-1.aws.example.com", 9243)
    client.cache_clear()


@pytest.mark.parametrize(("name", "value", "message"), [
    ("ELASTICSEARCH_URL", "http://es", "须写明端口"),
    ("ELASTICSEARCH_URL", "es:9200", "须以 http:// 或 https:// 开头"),
    ("ELASTICSEARCH_URL", "https://user:secret@es", "https://es"),  # the password is never printed
    ("SEARCH_ES_ANALYZER", "jieba", "SEARCH_ES_ANALYZER"),
    ("SEARCH_ES_TIMEOUT", "two", "SEARCH_ES_TIMEOUT 必须是数字"),
    ("SEARCH_ES_CA_CERTS", "/nonexistent/ca.pem", "SEARCH_ES_CA_CERTS 指向的文件不存在"),
    ("SEARCH_ES_FINGERPRINT", "not-hex", "SEARCH_ES_FINGERPRINT 须为 64 位"),
    ("SEARCH_ES_API_KEY", "not base64!", "SEARCH_ES_API_KEY"),
    ("SEARCH_ES_CLOUD_ID", "casebook:bm90IGEgY2xvdWQgaWQ=", "SEARCH_ES_CLOUD_ID"),
])
def test_bad_settings_fail_the_check_with_a_clear_message(settings, name, value, message):
    if name != "ELASTICSEARCH_URL":
        settings.ELASTICSEARCH_URL = "https://es.example.org:9200"
    setattr(settings, name, value)
    with pytest.raises(SystemCheckError) as failed:
        _check(deploy=True)
    text = str(failed.value)
    assert "search.E001" in text and message in text
    assert "secret" not in text


def test_good_settings_pass_the_check(settings, pki):
    settings.ELASTICSEARCH_URL = "https://es-1.example.org:9200, https://es-2.example.org:9200"
    settings.SEARCH_ES_CA_CERTS = str(pki.ca)
    settings.SEARCH_ES_API_KEY = ENCODED_KEY
    assert "search.E" not in _check(deploy=True)


@pytest.mark.parametrize("url", ["http://es", "es:9200"])
def test_a_malformed_url_never_breaks_the_public_search(settings, client, url, django_capture_on_commit_callbacks):
    campaign = finished_campaign("c-bad-url", 2025)
    with django_capture_on_commit_callbacks(execute=True):
        case = import_case(campaign, title="地址写错时的检索", region="440100", day=1)
    settings.ELASTICSEARCH_URL = url
    page = client.get("/cases/", {"q": "地址"})
    assert page.status_code == 200 and f'href="/cases/{case.pk}/"' in page.content.decode()
    api = client.get("/api/v1/cases", {"q": "地址"})
    assert api.status_code == 200 and api.json()["backend"] == "database"
    assert client.get(f"/cases/{case.pk}/").status_code == 200  # related cases on the case page
    assert "地址写错时的检索" in service.suggest("地址")
    assert health.counts(1)["config"] >= 3


def _check(*, deploy: bool) -> str:
    out = StringIO()
    args = ["--deploy"] if deploy else []
    call_command("check", *args, "--tag", "search", stdout=out, stderr=out)
    return out.getvalue()


def test_a_secured_cluster_serves_every_case_end_to_end(settings, https, pki, django_capture_on_commit_callbacks):
    """HTTPS with the cluster's own CA and an API key: build, search, check — every request signed."""
    from search.maintenance import reindex

    campaign = finished_campaign("c-secured", 2025)
    with django_capture_on_commit_callbacks(execute=True):
        case = import_case(campaign, title="安全集群上的检索", region="440100", day=1)
    settings.ELASTICSEARCH_URL = f"https://127.0.0.1:{https.server_port}"
    settings.SEARCH_ES_CA_CERTS = str(pki.ca)
    settings.SEARCH_ES_API_KEY = ENCODED_KEY
    assert reindex("elasticsearch") == 1
    results = service.search_cases(SearchQuery(q="安全集群"))
    assert results.backend == "elasticsearch" and results.case_ids == [case.pk]
    call_command("search_check", stdout=StringIO())  # consistent, probes pass: no CommandError
    assert {r["headers"].get("authorization") for r in https.state["requests"]} == {f"ApiKey {ENCODED_KEY}"}
