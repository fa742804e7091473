"""Two app servers on one PostgreSQL database, one Redis and one MEDIA_ROOT (docs/scale-out.md).

Two real gunicorn processes run the production settings with nothing in common but what a
deployment shares. What one server does, the other sees: the session, a lockout, a rate-limit
counter, an uploaded image; background work queued by a server is done by a `db_worker` run.
"""

from __future__ import annotations

import re
import time
import uuid
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
import requests

from tests.factories import DEFAULT_PASSWORD, case_in, recommender, submitter
from tests.files import png_bytes

from .servers import csrf_token, manage, production_env, secret_key, start_servers

# No django_db mark: the tests write, committed, to `shared_database` (conftest.py).
pytestmark = pytest.mark.postgres

LOCKOUT_FAILURES = 3
SEARCH_PER_MINUTE = 4


@pytest.fixture(scope="module")
def deployment(redis_url, shared_database, static_root, tmp_path_factory):
    """Servers A and B, plus the environment a `db_worker` shares with them."""
    base = tmp_path_factory.mktemp("deployment")
    prefix = f"casebook-test-{uuid.uuid4().hex[:8]}"
    env = production_env(
        SECRET_KEY=secret_key(),
        DATABASE_URL=shared_database,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=prefix,
        MEDIA_ROOT=str(base / "media"),
        STATIC_ROOT=static_root,
        TASKS_BACKEND="database",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(base / "mail"),
        LOGIN_LOCKOUT_FAILURES=str(LOCKOUT_FAILURES),
        RATE_LIMIT_SEARCH_PER_MINUTE=str(SEARCH_PER_MINUTE),
        RATE_LIMIT_SIGNIN_PER_MINUTE="1000",
    )
    servers = start_servers(env, ["A", "B"], base)
    yield {"env": env, "a": servers[0].url, "b": servers[1].url, "base": base, "prefix": prefix}
    for server in servers:
        server.stop()
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def can_sign_in(user):
    """The test settings hash with MD5, which production does not accept: a PBKDF2 hash instead
    (few iterations: fast here; Django upgrades it at the first sign-in as it would any old hash)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(DEFAULT_PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    return user


def admin_sign_in(browser: requests.Session, server: str, username: str, password: str) -> requests.Response:
    """The admin's sign-in form, with its real CSRF token and cookie."""
    form = browser.get(f"{server}/admin/login/", timeout=30)
    assert form.status_code == 200
    return browser.post(
        f"{server}/admin/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": csrf_token(form.text), "next": "/admin/"},
        allow_redirects=False, timeout=30,
    )


def api(browser: requests.Session, method: str, url: str, **kwargs) -> requests.Response:
    """A signed-in browser's API call: session cookie plus the CSRF header Django asks for."""
    headers = {"X-CSRFToken": browser.cookies.get("csrftoken", ""), **kwargs.pop("headers", {})}
    return browser.request(method, url, headers=headers, timeout=60, **kwargs)


def test_a_session_begun_on_a_is_valid_on_b_and_ended_there(deployment):
    user = can_sign_in(submitter("440100", username="two-servers"))
    browser = requests.Session()
    signed_in = admin_sign_in(browser, deployment["a"], user.username, DEFAULT_PASSWORD)
    assert signed_in.status_code == 302 and "sessionid" in browser.cookies

    on_b = browser.get(f"{deployment['b']}/admin/", allow_redirects=False, timeout=30)
    assert on_b.status_code == 200 and user.username in on_b.text

    # Signing out on B ends the session on A too (one session store, in the database).
    logout = api(browser, "POST", f"{deployment['b']}/admin/logout/", allow_redirects=False)
    assert logout.status_code == 302
    again = browser.get(f"{deployment['a']}/admin/", allow_redirects=False, timeout=30)
    assert again.status_code == 302 and "/admin/login/" in again.headers["Location"]


def test_a_lockout_counted_on_a_is_enforced_on_b(deployment):
    user = can_sign_in(submitter("440100", username="locked-out"))
    for _ in range(LOCKOUT_FAILURES):
        failed = admin_sign_in(requests.Session(), deployment["a"], user.username, "wrong-password")
        assert failed.status_code == 200 and "用户名或密码错误" in failed.text

    browser = requests.Session()
    refused = admin_sign_in(browser, deployment["b"], user.username, DEFAULT_PASSWORD)
    assert refused.status_code == 200 and "登录失败次数过多" in refused.text
    assert "sessionid" not in browser.cookies


def _wait_for_a_fresh_window(seconds_needed: int = 15) -> None:
    """The limit counts per fixed minute: start where all requests fall into one window."""
    left = 60 - time.time() % 60
    if left < seconds_needed:
        time.sleep(left + 0.5)


def test_the_rate_limit_counter_is_shared(deployment):
    _wait_for_a_fresh_window()
    statuses = [requests.get(f"{deployment[s]}/cases/", timeout=30).status_code for s in ("a", "b", "a", "b")]
    assert statuses == [200] * SEARCH_PER_MINUTE
    over = requests.get(f"{deployment['b']}/cases/", timeout=30)
    assert over.status_code == 429 and int(over.headers["Retry-After"]) > 0
    assert requests.get(f"{deployment['a']}/cases/", timeout=30).status_code == 429


def test_an_image_uploaded_through_a_is_served_by_b(deployment):
    from cases.models import CaseImage

    draft = case_in("draft", region_code="440100")
    owner = can_sign_in(submitter("440100", username="sub-440100"))  # after case_in, which resets it
    browser = requests.Session()
    assert admin_sign_in(browser, deployment["a"], owner.username, DEFAULT_PASSWORD).status_code == 302

    uploaded = api(browser, "POST", f"{deployment['a']}/api/v1/submissions/{draft.pk}/images",
                   files={"file": ("现场.png", png_bytes(size=(640, 480)), "image/png")}, data={"alt": "社区课堂现场"})
    assert uploaded.status_code == 201, uploaded.text
    image = CaseImage.objects.select_related("image").get(pk=uploaded.json()["id"])
    stored = (Path(deployment["env"]["MEDIA_ROOT"]) / image.image.file.name).read_bytes()  # the shared volume

    original = browser.get(f"{deployment['b']}/files/images/{image.pk}/original/", timeout=30)
    assert original.status_code == 200 and original.content == stored
    assert original.headers["Cache-Control"] == "private, no-store"
    rendition = browser.get(f"{deployment['b']}{uploaded.json()['url']}", timeout=60)
    assert rendition.status_code == 200 and rendition.headers["Content-Type"].startswith("image/")
    # The rendition B made is in the shared media: A serves the same bytes without making it again.
    assert browser.get(f"{deployment['a']}{uploaded.json()['url']}", timeout=30).content == rendition.content
    # Nobody else sees a draft's image, on either server.
    assert requests.get(f"{deployment['b']}/files/images/{image.pk}/original/", timeout=30).status_code == 404

    import redis

    cached = list(redis.Redis.from_url(deployment["env"]["REDIS_URL"]).scan_iter(f"{deployment['prefix']}:renditions:*"))
    assert cached, "Wagtail's rendition cache should be the shared Redis"


def _mails(directory) -> list:
    return [message_from_bytes(path.read_bytes()) for path in sorted(directory.glob("*.log"))] if directory.exists() else []


def test_mail_queued_on_a_is_sent_by_a_db_worker_after_commit(deployment):
    from django_tasks_db.models import DBTaskResult

    draft = case_in("draft", region_code="440100")
    owner = can_sign_in(submitter("440100", username="sub-440100"))
    province = recommender("440000", username="rec-440000", email="rec-440000@example.cn")
    browser = requests.Session()
    assert admin_sign_in(browser, deployment["a"], owner.username, DEFAULT_PASSWORD).status_code == 302

    submitted = api(browser, "POST", f"{deployment['a']}/api/v1/submissions/{draft.pk}/transitions/submit", json={})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted", submitted.text
    queued = DBTaskResult.objects.filter(task_path="notifications.mail.send_email")
    assert queued.count() >= 1 and {t.status for t in queued} == {"READY"}
    assert _mails(deployment["base"] / "mail") == []  # the request only queued it

    manage(deployment["env"], "db_worker", "--batch", "--no-startup-delay")
    assert {t.status for t in queued.all()} == {"SUCCESSFUL"}
    mails = _mails(deployment["base"] / "mail")
    to_province = [m for m in mails if province.email in m["To"]]
    assert len(to_province) == 1
    assert "本省有新提交的案例待推荐" in str(make_header(decode_header(to_province[0]["Subject"])))


def test_static_files_are_hashed_compressed_and_cached_for_good(deployment):
    page = requests.get(f"{deployment['a']}/admin/login/", timeout=30).text
    hashed = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert hashed, "the admin's stylesheets should have hashed names (manifest storage)"
    response = requests.get(f"{deployment['b']}{hashed.group(1)}", headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"] and "max-age=315360000" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware wraps WhiteNoise
