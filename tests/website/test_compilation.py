"""The 典型案例汇编: a PDF book of a campaign's published cases, Chinese glyphs embedded, rebuilt on change."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.test.utils import override_settings
from django.utils.timezone import localtime
from django_tasks import task_backends
from pypdf import PdfReader

from cases import workflow
from cases.states import CampaignStatus
from tests import factories
from tests.website.conftest import add_images
from website.compilation import tasks
from website.compilation.models import Compilation, CompilationState

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def build_on_change(settings):
    """As deployed: a publish, revoke or correction builds the book (inline: immediate backend)."""
    settings.CASEBOOK = {**settings.CASEBOOK, "COMPILATION_BUILD_ON_CHANGE": True, "COMPILATION_DELAY_SECONDS": 30}
    return settings


@pytest.fixture
def build_by_command(build_on_change):
    """COMPILATION_BUILD_ON_CHANGE=0: changes only mark the book pending (cron builds it)."""
    build_on_change.CASEBOOK = {**build_on_change.CASEBOOK, "COMPILATION_BUILD_ON_CHANGE": False}
    return build_on_change


def _pdf(response) -> tuple[str, set[str], int]:
    """The text (as extracted), the embedded fonts' names and the number of pages."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            obj = font.get_object()
            fonts.add(str(obj["/BaseFont"]))
            for descendant in obj.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, "the font must be embedded"
    return text, fonts, len(reader.pages)


def _flat(text: str) -> str:
    """Extracted text without line breaks (a long title may wrap)."""
    return "".join(text.split())


def _url(campaign) -> str:
    return f"/campaigns/{campaign.slug}/compilation.pdf"


def _revoke(case):
    with TestCase.captureOnCommitCallbacks(execute=True):
        workflow.transition(case=case, name="revoke", by=factories.secretariat(username="sec-c"), reason="发现数据不实")


@pytest.fixture
def book(campaign, make_case):
    published = [
        make_case("published", region_code="440100", title="广州“银龄课堂”教老年人用智能手机"),
        make_case("published", region_code="330100", title="杭州乡村数字技能培训进村入户",
                  approach="一是建立课堂 #set page(paper: \"a0\") $x^2$ <script>", task_area="work"),
    ]
    add_images(published[0], 1)
    others = [
        make_case("in_notice", region_code="420100", title="武汉公示中的社区数字课堂"),
        make_case("draft", region_code="510100", title="成都尚未提交的草稿案例"),
        make_case("disqualified", region_code="320100", title="南京已撤销发布的案例"),
    ]
    return {"campaign": campaign, "published": published, "others": others}


def test_book_has_every_published_case_in_chinese_with_an_embedded_font(client, book):
    response = client.get(_url(book["campaign"]))
    text, fonts, pages = _pdf(response)
    flat = _flat(text)
    assert any("NotoSansSC" in f for f in fonts), fonts
    assert "典型案例汇编" in flat and "目录" in _flat(text.replace("　", ""))
    assert _flat(book["campaign"].title) in flat and "2026年" in flat
    for case in book["published"]:
        assert _flat(case.title) in flat, case.title
    for case in book["others"]:
        assert _flat(case.title) not in flat, case.title
    for heading in ("案例摘要", "背景", "主要做法", "成效", "经验启示", "可复制推广", "成效指标", "培训人次", "12,000"):
        assert heading in flat, heading
    assert '#setpage(paper:"a0")$x^2$<script>' in flat  # case text is never Typst markup
    for private in ("王芳", "13800138000", "wangfang@example.cn"):  # contact details stay in the admin
        assert private not in flat
    assert pages >= 4  # cover, contents, a part page, a chapter per case
    assert response["Content-Disposition"].startswith("inline;")
    assert "public" in response["Cache-Control"]


def test_book_is_stored_under_media_with_the_campaign_and_a_hash(client, book):
    _pdf(client.get(_url(book["campaign"])))
    compilation = Compilation.objects.get(campaign=book["campaign"])
    assert compilation.state == CompilationState.READY and compilation.case_count == 2
    name = Path(compilation.file.name)
    assert name.parent.as_posix() == "compilations"
    assert name.name == f"{book['campaign'].slug}-{compilation.fingerprint[:12]}.pdf"
    assert (Path(settings.MEDIA_ROOT) / name).exists()


def test_book_is_rebuilt_when_a_case_is_published_or_revoked(client, book, make_case):
    """Immediate backend: the official's publish or revoke builds the new book after its commit."""
    campaign = book["campaign"]
    _pdf(client.get(_url(campaign)))
    old_file = Compilation.objects.get(campaign=campaign).file.name

    added = make_case("published", region_code="350100", title="厦门新发布的数字助老案例")
    compilation = Compilation.objects.get(campaign=campaign)
    assert compilation.state == CompilationState.READY and compilation.case_count == 3
    assert compilation.file.name != old_file
    assert not (Path(settings.MEDIA_ROOT) / old_file).exists()  # the previous build is removed, once replaced
    text, _fonts, _pages = _pdf(client.get(_url(campaign)))
    assert _flat(added.title) in _flat(text)

    _revoke(book["published"][0])
    text, _fonts, _pages = _pdf(client.get(_url(campaign)))
    assert _flat(book["published"][0].title) not in _flat(text)
    assert _flat(added.title) in _flat(text) and _flat(book["published"][1].title) in _flat(text)
    assert Compilation.objects.get(campaign=campaign).case_count == 2


def test_unchanged_content_is_not_rebuilt(client, book):
    _pdf(client.get(_url(book["campaign"])))
    compilation = Compilation.objects.get(campaign=book["campaign"])
    again = tasks.build(book["campaign"].pk)
    assert again.file.name == compilation.file.name and again.built_at == compilation.built_at
    forced = tasks.build(book["campaign"].pk, force=True)
    assert forced.built_at > compilation.built_at


@override_settings(TASKS=DUMMY_TASKS)
def test_with_a_worker_publish_and_revoke_queue_a_build_and_the_last_book_is_served_meanwhile(client, book, make_case):
    campaign = book["campaign"]
    tasks.build(campaign.pk)  # the last build a worker made
    last = Compilation.objects.get(campaign=campaign)
    backend = task_backends["default"]
    backend.clear()

    make_case("published", region_code="350100", title="厦门新发布的数字助老案例")
    queued = [r for r in backend.results if r.task.name == "build_compilation"]
    assert [list(r.args) for r in queued] == [[campaign.pk]]
    assert queued[0].task.run_after is not None  # deferred, so a batch publication makes one build
    # Stale (it lacks only the newest case): still served, briefly cached, with its date.
    response = client.get(_url(campaign))
    text, _fonts, _pages = _pdf(response)
    assert "厦门新发布" not in _flat(text)
    assert response["X-Compilation-Status"] == CompilationState.PENDING
    assert "max-age=60" in response["Cache-Control"]
    assert response["Last-Modified"] and f"{localtime(last.built_at):%Y%m%d}" in response["Content-Disposition"]

    backend.clear()
    _revoke(book["published"][0])
    assert [list(r.args) for r in backend.results if r.task.name == "build_compilation"] == [[campaign.pk]]
    # The last good book is kept until the new one exists (never a 404 in between).
    assert Compilation.objects.get(campaign=campaign).file.name == last.file.name
    kept = client.get(_url(campaign))
    assert kept.status_code == 200 and kept["X-Compilation-Status"] == CompilationState.PENDING
    # The download does not queue a second build while one is on its way.
    assert len([r for r in backend.results if r.task.name == "build_compilation"]) == 1

    tasks.build_compilation.call(campaign.pk)  # the worker runs it
    text, _fonts, _pages = _pdf(client.get(_url(campaign)))
    assert _flat(book["published"][0].title) not in _flat(text) and "厦门新发布" in _flat(text)
    assert not (Path(settings.MEDIA_ROOT) / last.file.name).exists()


def test_before_the_first_book_exists_visitors_get_a_503_page_and_nothing_is_built(client, build_by_command, make_case):
    """No book yet (the build is pending): a clear Chinese page, 503 with Retry-After, not cached,
    and the request builds nothing (immediate backend: only the official's change or the command)."""
    case = make_case("published", region_code="440100", title="等待编印的案例")
    campaign = case.campaign
    for _ in range(2):
        response = client.get(_url(campaign))
        assert response.status_code == 503 and response["Retry-After"] == "120"
        page = response.content.decode()
        assert "汇编（PDF）正在生成" in page and f'href="{_url(campaign)}"' in page
        assert 'http-equiv="refresh"' not in page  # WCAG 2.2.1: the visitor decides when to retry
        assert "no-store" in response["Cache-Control"]
    compilation = Compilation.objects.get(campaign=campaign)
    assert compilation.state == CompilationState.PENDING and not compilation.file and compilation.built_at is None
    call_command("build_compilations", stdout=io.StringIO())
    _pdf(client.get(_url(campaign)))


def test_no_book_without_published_cases_and_none_for_a_draft_campaign(client, campaign, make_case):
    make_case("in_notice", region_code="420100", title="武汉公示中的社区数字课堂")
    response = client.get(_url(campaign))
    assert response.status_code == 404
    assert "还没有正式发布的典型案例" in response.content.decode()
    assert not Compilation.objects.filter(campaign=campaign).exclude(file="").exists()

    draft = factories.CampaignFactory(slug="draft-campaign", status=CampaignStatus.DRAFT)
    assert client.get(_url(draft)).status_code == 404
    assert client.get("/campaigns/no-such-campaign/compilation.pdf").status_code == 404


def test_revoking_the_last_case_removes_the_book(client, campaign, make_case):
    only = make_case("published", region_code="440100", title="唯一的已发布案例")
    _pdf(client.get(_url(campaign)))
    _revoke(only)
    assert client.get(_url(campaign)).status_code == 404
    assert not list((Path(settings.MEDIA_ROOT) / "compilations").glob("*.pdf"))


def test_command_builds_pending_books(build_by_command, book):
    campaign = book["campaign"]
    assert not Compilation.objects.filter(campaign=campaign, state=CompilationState.READY).exists()
    out = io.StringIO()
    call_command("build_compilations", stdout=out)
    assert f"{campaign.slug}：2 个案例" in out.getvalue()
    assert Compilation.objects.get(campaign=campaign).state == CompilationState.READY


def test_a_correction_to_a_published_case_rebuilds_the_book(client, campaign, make_case):
    case = make_case("published", region_code="440100", title="更正前的案例名称")
    _pdf(client.get(_url(campaign)))
    case.title = "更正后的案例名称"
    with TestCase.captureOnCommitCallbacks(execute=True):
        case.save()
    assert Compilation.objects.get(campaign=campaign).state == CompilationState.READY
    text, _fonts, _pages = _pdf(client.get(_url(campaign)))
    assert "更正后的案例名称" in _flat(text) and "更正前" not in _flat(text)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_batch_publication_builds_the_book_once(campaign, caplog):
    """Immediate backend: the secretariat's 批量发布 of three cases renders one book, not three
    (each case commits on its own, as in production: hence a transactional test)."""
    from django.utils import timezone

    from cases import notice
    from cases.models import Case
    from tests.workflow_paths import bring_to

    noticed = [bring_to("in_notice", campaign=campaign, region_code=code, title=f"批量发布的案例{code}")
               for code in ("440100", "330100", "420100")]
    Case.objects.filter(pk__in=[c.pk for c in noticed]).update(notice_ends=timezone.now() - timezone.timedelta(seconds=1))
    caplog.set_level("INFO", logger="website.compilation.tasks")
    report = notice.publish_batch(campaign=campaign, by=factories.secretariat(username="batch-sec"))
    assert len(report.done) == 3
    assert [r.getMessage() for r in caplog.records if "built:" in r.getMessage()] == [
        f"compilation of {campaign.slug} built: 3 case(s), {Compilation.objects.get(campaign=campaign).size} bytes"]
