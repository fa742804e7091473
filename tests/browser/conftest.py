"""Real-browser tests: pytest-playwright driving Debian's chromium against pytest-django's live_server.

Setup (once per machine; `.ci/run` does it): `apt-get install chromium fonts-wqy-microhei` and
`pip install -r requirements-dev.txt`. Never `playwright install`: no browser is downloaded.
Without chromium every test here is skipped with that reason, and the run says so at the end.

The tests are transactional (the live server runs in another thread) with serialized rollback,
so the rows of the data migrations (regions, the home, about and privacy pages) come back after
each test. They run after every other test: Playwright's sync API keeps an asyncio loop running
in the main thread for the rest of the session (see `_sync_django_beside_playwright`).
"""

from __future__ import annotations

import os
import shutil
from importlib.util import find_spec
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CHROMIUM = shutil.which("chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def skip_reason() -> str:
    if not CHROMIUM:
        return "chromium not installed: apt-get install chromium fonts-wqy-microhei"
    missing = [name for name in ("playwright", "pytest_playwright", "axe_playwright_python") if find_spec(name) is None]
    if missing:
        return f"{', '.join(missing)} not installed: pip install -r requirements-dev.txt"
    return ""


_collected: list = []


def _is_browser_test(item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


# trylast: after pytest's own reordering by fixture scope (a parametrised module-scoped fixture
# elsewhere moves items), so the browser tests really are the last ones.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    browser = [item for item in items if _is_browser_test(item)]
    if not browser:
        return
    _collected[:] = browser
    items[:] = [item for item in items if not _is_browser_test(item)] + browser
    if reason := skip_reason():
        for item in browser:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter):
    if _collected and (reason := skip_reason()):
        terminalreporter.write_sep("=", f"SKIPPED {len(_collected)} browser tests (tests/browser): {reason}", yellow=True)


@pytest.fixture(scope="session", autouse=True)
def _sync_django_beside_playwright():
    """Keep Django synchronous in this thread although Playwright runs an asyncio loop in it.

    With a running loop, Django refuses ORM calls (DJANGO_ALLOW_ASYNC_UNSAFE lifts that) and
    asgiref's thread-critical Local switches `django.db.connections` to per-context storage: the
    test would get a second connection without the serialized data that `serialized_rollback`
    restores, and the data migrations' rows (regions, pages) would be lost after the first test.
    So the connections stay in their per-thread storage, as in any synchronous test.
    """
    from django.db import connections

    local = connections._connections
    thread_storage = object.__getattribute__(local, "_storage")
    object.__setattr__(local, "_get_storage", lambda: thread_storage)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    object.__delattr__(local, "_get_storage")
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def site(live_server, settings):
    """The live server's base URL; case files (images) are served from the test's media root."""
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A and AA violations of the page, one line per rule and element."""
    from axe_playwright_python.sync_playwright import Axe

    # Contrast is judged on what a person sees once the page is still: a tab panel fading in
    # (Wagtail's tabs) measures as low contrast halfway through (seen in CI). Finite animations
    # and transitions are waited for; endless ones (spinners) are not.
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running'"
        " || (a.effect && a.effect.getTiming().iterations === Infinity))",
        timeout=5000,
    )
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    lines = []
    for violation in result.response["violations"]:
        for node in violation["nodes"]:
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}")
    return lines


def sign_in(context, site: str, user) -> None:
    """Give the browser a session of `user` (made by Django's test client, stored in the database)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": site}])


WORKERS_TEXT = {
    "summary": "面向产业工人开展工业软件和数据采集实操培训。", "background": "制造业转型急需数字技能人才。",
    "approach": "校企合作开设实训课程，企业出题、院校答题。", "outcomes": "培训产业工人五千人次。",
    "lessons": "以岗位需求为导向。", "replicability": "前提：有实训基地和合作企业。",
}


@pytest.fixture
def showcase():
    """Three published cases in three provinces and one case in public notice."""
    from tests.factories import CampaignFactory
    from tests.workflow_paths import bring_to

    campaign = CampaignFactory(title="2026年提升全民数字素养与技能典型案例征集", slug="digital-2026")
    cases = {
        "gd": bring_to("published", campaign=campaign, region_code="440100", title="广州银龄课堂教老年人用智能手机",
                       scenarios=["life"], key_groups=["elderly"]),
        "zj": bring_to("published", campaign=campaign, region_code="330100", title="杭州老年人数字反诈宣讲",
                       scenarios=["life"], key_groups=["elderly"], task_area="security"),
        "hb": bring_to("published", campaign=campaign, region_code="420100", title="武汉产业工人数字技能培训",
                       scenarios=["work"], key_groups=["workers"], task_area="work", **WORKERS_TEXT),
        "notice": bring_to("in_notice", campaign=campaign, region_code="510100", title="成都社区数字助老驿站"),
    }
    return {"campaign": campaign, **cases}
