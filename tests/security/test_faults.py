"""Faults (issue 8 §8): the database drops its connections or restarts, the disk fills up during
an upload, Elasticsearch is down. See docs/faults.md for what the operator sees and does.

Requests in the database tests go through Django's WSGI handler — what gunicorn calls — rather
than the test client: the test client disconnects `close_old_connections` from the request
signals, and that hook is what re-arms the per-request connection health check (through the test
client every request after the drop fails, until the connection is closed by hand).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cases import workflow
from cases.models import CaseAttachment, CaseImage
from search import service
from search.maintenance import reindex
from search.models import PendingIndexOp
from tests import factories
from tests.api.conftest import sign_in
from tests.files import MINIMAL_PDF
from tests.search.conftest import finished_campaign, import_case

from . import es_stand_in

# --- PostgreSQL drops every connection, or restarts ---------------------------------------

ATTEMPTS, PAUSE = 10, 0.5
PROBES = ["/api/v1/cases?q=数字", "/cases/"]


def wsgi_get(path: str) -> int:
    """One request the way the production server makes it (request_started/finished fire)."""
    return wsgi_request(path)[0]


def wsgi_request(path: str) -> tuple[int, str]:
    environ = RequestFactory().get(path).environ
    statuses = []
    result = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        body = b"".join(result)
    finally:
        result.close()
    return int(statuses[0].split()[0]), body.decode()


def until_ok(path: str) -> list[int]:
    """Statuses of up to ATTEMPTS requests, PAUSE apart, stopping at the first success."""
    seen = []
    for _ in range(ATTEMPTS):
        seen.append(wsgi_get(path))
        if seen[-1] == 200:
            break
        time.sleep(PAUSE)
    return seen


def admin_url() -> str:
    s = connection.settings_dict
    return f"host={s['HOST'] or '127.0.0.1'} port={s['PORT'] or 5432} user={s['USER']} dbname=postgres"


def kill_backends() -> int:
    """pg_terminate_backend every other session of the test database; how many there were."""
    import psycopg

    with psycopg.connect(admin_url(), autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"]],
        ).fetchall()
    return len(rows)


@pytest.fixture
def serving(settings, monkeypatch):
    """A published case, and the app's connection kept open between requests as in production."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    import_case(finished_campaign("fault-pg", 2025), title="数字助老服务站", region="440100", day=1)
    connection.close()
    assert [wsgi_get(p) for p in PROBES] == [200, 200]
    assert connection.connection is not None  # persistent: the same session serves the next request
    assert connection.health_check_enabled
    return settings


def assert_recovers() -> None:
    """Every probe answers at once: the health check finds the dead session and reconnects."""
    assert until_ok(PROBES[0]) == [200]
    assert [wsgi_get(p) for p in PROBES] == [200, 200]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_killed_database_connections_are_replaced_without_a_failed_request(serving):
    assert kill_backends() >= 1
    assert_recovers()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_health_checks_exactly_one_request_fails(serving, monkeypatch, caplog):
    """Why CONN_HEALTH_CHECKS is on: without it the first request after the drop is a 500 (the
    error marks the connection, the next request's start closes it) and the second succeeds."""
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    connection.close()  # the setting is read when a connection opens
    assert wsgi_get(PROBES[0]) == 200 and not connection.health_check_enabled
    assert kill_backends() >= 1
    status, body = wsgi_request(PROBES[0])
    # The API's own JSON error (docs/hostile-input.md), built without the database.
    assert status == 500 and json.loads(body) == {"detail": "服务器暂时无法处理该请求，请稍后重试。"}
    assert until_ok(PROBES[0]) == [200]
    assert wsgi_get(PROBES[1]) == 200


def _cluster() -> tuple[str, str]:
    found = os.listdir("/etc/postgresql") if os.path.isdir("/etc/postgresql") else []
    versions = sorted((v for v in found if v.replace(".", "").isdigit()), key=lambda v: [int(x) for x in v.split(".")])
    if not versions or not shutil.which("pg_ctlcluster"):
        pytest.skip("no local Debian PostgreSQL cluster (pg_ctlcluster) to restart")
    return versions[-1], "main"


def pg_ready(tries: int = 60) -> bool:
    s = connection.settings_dict
    for _ in range(tries):
        command = ["pg_isready", "-q", "-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"] or 5432)]
        ready = subprocess.run(command, check=False)  # noqa: S603
        if ready.returncode == 0:
            return True
        time.sleep(PAUSE)
    return False


@pytest.mark.postgres
@pytest.mark.skipif(os.environ.get("FAULT_DRILL_PG_RESTART") != "1",
                    reason="restarts the shared PostgreSQL server: set FAULT_DRILL_PG_RESTART=1 (.ci/run does)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_requests_recover_after_a_real_postgresql_restart(serving):
    version, name = _cluster()
    try:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],  # noqa: S603, S607
                       check=True, capture_output=True, timeout=120)
    finally:
        assert pg_ready(), "PostgreSQL did not come back"  # later tests need it either way
    assert_recovers()


# --- the disk fills up during an upload ----------------------------------------------------


class DiskFillsUp(FileSystemStorage):
    """Django's storage on a disk that fills up: part of the file is written, then ENOSPC."""

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as f:
            f.write(content.read(1024))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


FILLER = "filler.bin"


def _mount_tmpfs(path: Path, size: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],  # noqa: S603, S607
                          capture_output=True, check=False)
    return done.returncode == 0


def _fill(root: Path, leave: int) -> None:
    """Write a filler file until the file system is full, then free `leave` bytes."""
    with (root / FILLER).open("wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        size = f.tell()
    with (root / FILLER).open("r+b") as f:
        f.truncate(max(0, (root / FILLER).stat().st_size - leave) if size else 0)


@pytest.fixture(params=["tmpfs", "storage"])
def full_disk(request, settings, tmp_path):
    """MEDIA_ROOT on a file system with a few KB left (a real tmpfs where mounting is allowed), or
    a storage whose disk is full; yields the media root."""
    root = tmp_path / "full-media"
    root.mkdir()
    if request.param == "tmpfs":
        if not _mount_tmpfs(root, "512k"):
            pytest.skip("mounting a tmpfs is not permitted here; the 'storage' variant covers the same path")
        request.addfinalizer(lambda: subprocess.run(["umount", str(root)], check=False))  # noqa: S603, S607
        for sub in ("original_images", "images", "documents"):
            (root / sub).mkdir()
        _fill(root, leave=16 * 1024)
    else:
        settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.DiskFillsUp"}}
    settings.MEDIA_ROOT = str(root)
    return root


def big_png() -> bytes:
    """Noise does not compress: a PNG far larger than the space left, also after re-encoding."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.frombytes("RGB", (256, 256), os.urandom(256 * 256 * 3)).save(buf, "PNG")
    return buf.getvalue()


def big_pdf() -> bytes:
    return MINIMAL_PDF.replace(b"trailer", b"%" + os.urandom(100_000).hex().encode()[:200_000] + b"\ntrailer")


def _upload(name: str, data: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != FILLER)


def rows() -> tuple[int, ...]:
    return (get_image_model().objects.count(), get_document_model().objects.count(),
            CaseImage.objects.count(), CaseAttachment.objects.count())


DISK_FULL = "存储空间不足"


@pytest.mark.django_db
def test_full_disk_during_admin_upload_is_a_clear_error_and_saves_nothing(full_disk, campaign):
    submitter = factories.submitter("440100", username="fault-sub")
    case = workflow.create_draft(by=submitter, campaign=campaign, title="上传测试", region=factories.region("440100"))
    client = Client()
    client.force_login(submitter)
    url = reverse("cases:files", args=[case.pk])
    before = rows()
    for form in (
        {"operation": "upload-image", "image-file": _upload("photo.png", big_png(), "image/png"), "image-alt": "现场照片"},
        {"operation": "upload-attachment", "attachment-file": _upload("台账.pdf", big_pdf(), "application/pdf"),
         "attachment-kind": "evidence"},
    ):
        response = client.post(url, form, follow=True)
        assert response.status_code == 200, form["operation"]
        assert DISK_FULL in response.content.decode(), form["operation"]
        assert rows() == before and files_under(full_disk) == [], form["operation"]


@pytest.mark.django_db
def test_full_disk_during_api_upload_is_a_chinese_507_and_saves_nothing(full_disk, campaign):
    submitter = factories.submitter("440100", username="fault-sub")
    case = workflow.create_draft(by=submitter, campaign=campaign, title="上传测试", region=factories.region("440100"))
    api = sign_in(submitter)
    before = rows()
    for path, data in (
        ("images", {"file": _upload("photo.png", big_png(), "image/png"), "alt": "现场照片"}),
        ("attachments", {"file": _upload("台账.pdf", big_pdf(), "application/pdf"), "kind": "evidence"}),
    ):
        response = api.post(f"/api/v1/submissions/{case.pk}/{path}", data, format="multipart")
        assert response.status_code == 507, (path, response.content.decode())
        assert DISK_FULL in response.json()["detail"], path
        assert rows() == before and files_under(full_disk) == [], path


@pytest.fixture
def noticed(campaign):
    """A case in 公示, made before the disk fills up (its own images need room)."""
    from tests.website.conftest import committed

    return committed("in_notice", campaign=campaign, region_code="330100")


@pytest.mark.django_db
def test_full_disk_during_an_objection_with_evidence_keeps_nothing(noticed, full_disk, client):
    from cases.models import Objection

    before = (get_document_model().objects.count(), Objection.objects.count())
    form = {"name": "张三", "phone": "13912345678", "email": "zhangsan@example.cn", "consent": "on",
            "reason": "该案例所称培训人次与当地公开报道的数据明显不符，请予核实。",
            "evidence": _upload("证据.pdf", big_pdf(), "application/pdf")}
    response = client.post(f"/notices/{noticed.pk}/", form)
    assert response.status_code == 400 and DISK_FULL in response.content.decode()
    assert (get_document_model().objects.count(), Objection.objects.count()) == before
    assert [f for f in files_under(full_disk) if f.startswith("documents/")] == []


# --- Elasticsearch down, then back -----------------------------------------------------------
# Already covered elsewhere (not repeated here): the search service and the API fail over to the
# database (tests/search/test_indexing.py::test_search_fails_over_to_the_database_and_says_so,
# tests/search/test_public_api.py::test_the_api_answers_when_elasticsearch_is_down), failed work
# is queued (test_failed_elasticsearch_work_is_queued_and_retried, with an in-process fake adapter).
# Here: the public pages during the outage, and the catch-up through the real client and adapter
# against a stand-in server that speaks just enough of the Elasticsearch HTTP API (es_stand_in.py).

CLOSED_PORT = "http://127.0.0.1:9"


@pytest.fixture
def stand_in():
    with es_stand_in.running() as server:
        yield server


@pytest.fixture
def es_down(settings):
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    settings.SEARCH_ES_TIMEOUT = 1
    settings.SEARCH_ES_INDEX = "fault-cases"
    service.breaker.reset()
    yield settings
    service.breaker.reset()


@pytest.mark.django_db
def test_outage_keeps_the_site_up_queues_work_and_search_check_catches_up(
    es_down, stand_in, client, django_capture_on_commit_callbacks
):
    campaign = finished_campaign("fault-es", 2025)
    with django_capture_on_commit_callbacks(execute=True):
        kept = import_case(campaign, title="智慧助老驿站", region="440100", day=1)
        revoked = import_case(campaign, title="乡村数字课堂", region="330100", day=2)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case=revoked, name="revoke", by=factories.secretariat(username="fault-sec"),
                            reason="发现数据不实")
    # Both changes are queued; nothing reached a cluster.
    assert set(PendingIndexOp.objects.values_list("case_id", flat=True)) == {kept.pk, revoked.pk}
    assert all(op.attempts >= 1 and op.last_error for op in PendingIndexOp.objects.all())

    service.breaker.reset()  # as after SEARCH_ES_RETRY_AFTER: the next request tries the cluster again
    assert f'href="/cases/{kept.pk}/"' in client.get("/cases/", {"q": "助老"}).content.decode()
    assert client.get(f"/cases/{kept.pk}/").status_code == 200
    assert client.get(f"/cases/{revoked.pk}/").status_code == 404
    api = client.get("/api/v1/cases", {"q": "助老"}).json()
    assert api["backend"] == "database" and [c["id"] for c in api["results"]] == [kept.pk]

    # The cluster answers again (with no index yet): the daily `search_check --fix` builds the
    # index and replays the queue.
    es_down.ELASTICSEARCH_URL = f"http://127.0.0.1:{stand_in.server_port}"
    call_command("search_check", "--fix", stdout=StringIO())
    indexed = es_stand_in.docs(stand_in, "fault-cases")
    assert set(indexed) == {str(kept.pk)}
    assert ("delete", str(revoked.pk)) in stand_in.state["log"]
    assert indexed[str(kept.pk)]["title"] == "智慧助老驿站"
    assert not PendingIndexOp.objects.exists()
    out = StringIO()
    call_command("search_check", stdout=out)  # consistent now: no CommandError
    assert "elasticsearch：索引中 1 个案例。" in out.getvalue()


@pytest.mark.django_db
def test_queued_work_goes_out_with_the_next_change_once_the_cluster_answers(
    es_down, stand_in, django_capture_on_commit_callbacks
):
    campaign = finished_campaign("fault-es-next", 2025)
    live = f"http://127.0.0.1:{stand_in.server_port}"
    es_down.ELASTICSEARCH_URL = live
    reindex("elasticsearch")  # the index was built before the outage
    es_down.ELASTICSEARCH_URL = CLOSED_PORT
    with django_capture_on_commit_callbacks(execute=True):
        during = import_case(campaign, title="停机期间发布的案例", region="440100", day=1)
    assert PendingIndexOp.objects.filter(case_id=during.pk).exists()

    es_down.ELASTICSEARCH_URL = live
    service.breaker.reset()
    with django_capture_on_commit_callbacks(execute=True):
        after = import_case(campaign, title="恢复之后发布的案例", region="330100", day=2)
    assert set(es_stand_in.docs(stand_in, "fault-cases")) == {str(during.pk), str(after.pk)}
    assert not PendingIndexOp.objects.exists()


# --- Redis (the shared cache) is down, then back -------------------------------------------
# A redis-server of the test's own (tests/private_services.py), stopped and started at will; the
# cache configured as production configures it (sharedcache.backend.ResilientRedisCache).


@pytest.fixture
def private_redis(settings):
    from tests.private_services import PrivateRedis

    server = PrivateRedis().start()
    settings.CACHES = {
        alias: {"BACKEND": "sharedcache.backend.ResilientRedisCache", "LOCATION": server.url,
                "KEY_PREFIX": f"drill:{alias}", "OPTIONS": {"RETRY_AFTER": 0}}
        for alias in ("default", "renditions")
    }
    yield server
    server.stop()


def redis_keys(server) -> list[bytes]:
    import redis

    return redis.Redis.from_url(server.url).keys("drill:*")


PUBLIC_PAGES = ["/", "/cases/", "/cases/?q=助老", "/campaigns/", "/api/v1/cases?q=助老"]


@pytest.mark.django_db
def test_redis_down_public_pages_and_api_writes_still_answer(private_redis, campaign, client,
                                                            django_capture_on_commit_callbacks):
    published = import_case(finished_campaign("fault-redis", 2025), title="智慧助老驿站", region="440100", day=1)
    submitter = factories.submitter("440100", username="redis-sub")
    draft = workflow.create_draft(by=submitter, campaign=campaign, title="停机前的标题", region=factories.region("440100"))
    api = sign_in(submitter)
    pages = [*PUBLIC_PAGES, f"/cases/{published.pk}/"]
    assert [client.get(p).status_code for p in pages] == [200] * len(pages)
    assert redis_keys(private_redis)  # the case page's fragments are cached

    private_redis.stop()
    assert [client.get(p).status_code for p in pages] == [200] * len(pages)
    assert "智慧助老驿站" in client.get(f"/cases/{published.pk}/").content.decode()  # from the database
    with django_capture_on_commit_callbacks(execute=True):  # the invalidations after commit run too
        response = api.patch(f"/api/v1/submissions/{draft.pk}", {"title": "停机期间改的标题"}, format="json")
    assert response.status_code == 200, response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "停机期间改的标题"  # the write committed, the cache notwithstanding

    private_redis.start()  # back, empty, on the same port: no app restart
    assert client.get(f"/cases/{published.pk}/").status_code == 200
    assert redis_keys(private_redis)  # the cache is used again


@pytest.mark.django_db
def test_an_invalidation_missed_while_redis_is_away_is_applied_when_it_answers(private_redis):
    """Redis alive but not answering (CLIENT PAUSE: the data stays): the delete that failed is
    remembered and done once Redis answers, so the old entry does not outlive the outage."""
    import redis
    from django.core.cache import cache

    cache.set("search:db:collection-stats", {"n": 1}, None)
    redis.Redis.from_url(private_redis.url).execute_command("CLIENT", "PAUSE", 1500, "ALL")
    cache.delete("search:db:collection-stats")  # times out: skipped, remembered
    assert cache.get("anything", "miss") == "miss"
    time.sleep(1.6)
    assert cache.get("search:db:collection-stats") is None
