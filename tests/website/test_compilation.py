"""The 典型案例汇编: a PDF book of a campaign's published cases, Chinese glyphs embedded, rebuilt on change."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.test.utils import override_settings
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
    campaign = book["campaign"]
    first = client.get(_url(campaign))
    _pdf(first)
    old_file = Compilation.objects.get(campaign=campaign).file.name

    added = make_case("published", region_code="350100", title="厦门新发布的数字助老案例")
    assert Compilation.objects.get(campaign=campaign).state == CompilationState.PENDING
    text, _fonts, _pages = _pdf(client.get(_url(campaign)))
    assert _flat(added.title) in _flat(text)
    compilation = Compilation.objects.get(campaign=campaign)
    assert compilation.case_count == 3 and compilation.file.name != old_file
    assert not (Path(settings.MEDIA_ROOT) / old_file).exists()  # the previous build is removed

    _revoke(book["published"][0])
    # The file that still shows the revoked case is withdrawn at once, before the rebuild.
    compilation = Compilation.objects.get(campaign=campaign)
    assert not compilation.file and compilation.state == CompilationState.PENDING
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
    backend = task_backends["default"]
    backend.clear()

    make_case("published", region_code="350100", title="厦门新发布的数字助老案例")
    queued = [r for r in backend.results if r.task.name == "build_compilation"]
    assert [list(r.args) for r in queued] == [[campaign.pk]]
    assert queued[0].task.run_after is not None  # deferred, so a batch publication makes one build
    # Stale (it lacks only the newest case): still served, briefly cached.
    response = client.get(_url(campaign))
    text, _fonts, _pages = _pdf(response)
    assert "厦门新发布" not in _flat(text)
    assert response["X-Compilation-Status"] == CompilationState.PENDING
    assert "max-age=60" in response["Cache-Control"]

    backend.clear()
    _revoke(book["published"][0])
    assert [list(r.args) for r in backend.results if r.task.name == "build_compilation"] == [[campaign.pk]]
    pending = client.get(_url(campaign))
    assert pending.status_code == 404
    assert "汇编（PDF）正在生成" in pending.content.decode()
    assert "no-store" in pending["Cache-Control"]
    # The download does not queue a second build while one is on its way.
    assert len([r for r in backend.results if r.task.name == "build_compilation"]) == 1

    tasks.build_compilation.call(campaign.pk)  # the worker runs it
    text, _fonts, _pages = _pdf(client.get(_url(campaign)))
    assert _flat(book["published"][0].title) not in _flat(text) and "厦门新发布" in _flat(text)


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


def test_command_builds_pending_books(book):
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
    assert Compilation.objects.get(campaign=campaign).state == CompilationState.PENDING
    text, _fonts, _pages = _pdf(client.get(_url(campaign)))
    assert "更正后的案例名称" in _flat(text) and "更正前" not in _flat(text)
