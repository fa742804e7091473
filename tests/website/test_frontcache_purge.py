"""Front-cache purges (website/frontcache.py) on publish, correction, adoption and revocation.

A real HTTP server in a thread plays the cache's side: it records the PURGE requests it gets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import TestCase, override_settings
from django_tasks import task_backends

from cases import adoptions, workflow
from cases.models import Case
from tests import factories
from tests.website.conftest import committed

pytestmark = pytest.mark.django_db
BASE = "https://cases.example.cn"
LISTS = {"/", "/cases/", "/campaigns/", "/notices/", "/feeds/cases.xml", "/sitemap.xml", "/cases.csv", "/stats/"}


class _Recorder(BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.server.purged.append((self.path, self.headers.get("Host")))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"Purged")

    def log_message(self, *args):
        pass


@pytest.fixture
def cache_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def front_cache(settings, cache_server):
    settings.WAGTAILADMIN_BASE_URL = BASE
    settings.WAGTAILFRONTENDCACHE = {"default": {
        "BACKEND": "website.frontcache.PurgeBackend", "LOCATION": f"http://127.0.0.1:{cache_server.server_port}",
    }}
    return cache_server


def _paths(server) -> set[str]:
    return {path for path, _host in server.purged}


def _case_pages(case) -> set[str]:
    slug = case.campaign.slug
    return {f"/cases/{case.pk}/", f"/campaigns/{slug}/", f"/campaigns/{slug}/compilation.pdf", *LISTS}


def test_publishing_purges_the_case_its_campaign_and_every_list(front_cache, campaign):
    case = committed("published", campaign=campaign, title="银龄数字课堂")
    assert _case_pages(case) <= _paths(front_cache)
    assert {host for _path, host in front_cache.purged} == {"cases.example.cn"}  # the site's host, not the cache's


def test_steps_before_publication_purge_nothing_visible(front_cache, campaign):
    committed("shortlisted", campaign=campaign)
    assert front_cache.purged == []


def test_entering_notice_purges_the_lists_that_count_it(front_cache, campaign):
    committed("in_notice", campaign=campaign)
    assert {"/notices/", "/", f"/campaigns/{campaign.slug}/"} <= _paths(front_cache)


def test_a_correction_of_a_published_case_purges_its_page(front_cache, campaign):
    case = committed("published", campaign=campaign, title="银龄数字课堂")
    front_cache.purged.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        Case.objects.filter(pk=case.pk).first().save()  # e.g. a data correction by the secretariat
    assert _case_pages(case) <= _paths(front_cache)


def test_an_adoption_purges_the_case_page(front_cache, campaign):
    case = committed("published", campaign=campaign, region_code="440100")
    front_cache.purged.clear()
    other = factories.submitter("330100", username="hz-adopter")
    with TestCase.captureOnCommitCallbacks(execute=True):
        adoptions.report_adoption(case_id=case.pk, by=other, since=date(2025, 1, 1),
                                  summary="借鉴了银龄数字课堂和志愿者结对帮扶的做法。")
    assert f"/cases/{case.pk}/" in _paths(front_cache)


def test_revoking_purges_the_case_and_the_lists(front_cache, campaign):
    case = committed("published", campaign=campaign)
    front_cache.purged.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        workflow.transition(case=case, name="revoke", by=factories.secretariat(username="revoker"), reason="发现数据造假")
    assert _case_pages(case) <= _paths(front_cache)


def test_nothing_is_purged_and_nothing_is_asked_when_the_cache_is_not_configured(settings, cache_server, campaign,
                                                                                  django_assert_num_queries):
    assert not getattr(settings, "WAGTAILFRONTENDCACHE", None)  # FRONTEND_CACHE_URL is unset in tests
    case = committed("published", campaign=campaign)
    with TestCase.captureOnCommitCallbacks(execute=True):
        Case.objects.get(pk=case.pk).save()
    assert cache_server.purged == []
    from website import frontcache

    with django_assert_num_queries(0):
        frontcache.purge_case(case.pk)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_with_a_worker_the_request_only_queues_the_purge(front_cache, campaign):
    backend = task_backends["default"]
    backend.clear()
    case = committed("published", campaign=campaign)
    queued = [r.task for r in backend.results if r.task.name == "purge_case_task" and list(r.args) == [case.pk, False]]
    # At once, and again a little later (a request that read the old case may have stored it meanwhile).
    assert any(t.run_after is None for t in queued) and any(t.run_after is not None for t in queued)
    assert front_cache.purged == []  # nothing sent from the request itself


def test_an_unreachable_cache_does_not_stop_publication(settings, campaign, caplog):
    settings.WAGTAILFRONTENDCACHE = {"default": {
        "BACKEND": "website.frontcache.PurgeBackend", "LOCATION": "http://127.0.0.1:9", "TIMEOUT": 1,
    }}
    case = committed("published", campaign=campaign)
    assert Case.objects.get(pk=case.pk).status == "published"
    failures = [r.getMessage() for r in caplog.records if "purge of" in r.getMessage()]
    assert failures
    # Each batch gives up at its first URL (the case page) instead of trying the others.
    assert all(f"/cases/{case.pk}/ failed" in m and "more URL(s) not purged" in m for m in failures)


def test_the_setting_comes_from_frontend_cache_url():
    root = Path(__file__).resolve().parents[2]
    code = ("import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps(getattr(settings, 'WAGTAILFRONTENDCACHE', None)))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    env.pop("FRONTEND_CACHE_URL", None)
    off = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True)  # noqa: S603
    assert json.loads(off.stdout.strip().splitlines()[-1]) is None
    env["FRONTEND_CACHE_URL"] = "http://127.0.0.1:6081, http://10.0.0.2:6081"
    on = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True)  # noqa: S603
    backend = "website.frontcache.PurgeBackend"
    assert json.loads(on.stdout.strip().splitlines()[-1]) == {
        "cache1": {"BACKEND": backend, "LOCATION": "http://127.0.0.1:6081"},
        "cache2": {"BACKEND": backend, "LOCATION": "http://10.0.0.2:6081"},
    }
