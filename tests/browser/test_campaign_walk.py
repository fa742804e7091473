"""A whole campaign through the admin, in a real browser, each role signing in with its own account
in the order officials work (issue 16, item 7): the submitter creates a draft with a cover image and
an attachment and submits it; the recommender nominates it; the secretariat passes the formal
check, fills the reviewer pool, assigns reviewers automatically and starts the review; the
reviewers score; the secretariat looks at the ranking, shortlists, opens the 公示, rules on an
objection a citizen filed on the public notice page, and publishes; the case is then on the public
site and in the campaign's compilation.

Each role's dashboard (its to-do list, cases/worklists.py) is read as displayed before and after
each step that changes it: the submitter's drafts, the recommender's 待推荐 and quota used, the
reviewers' 待评分, the secretariat's 待形式审查, reviewers short, objections and 可以发布.

Nothing here calls a service: every step is a click or a keystroke (the only shortcut is the
calendar: the notice period's end is moved into the past, as the passing of seven days would).

With GUIDE_SCREENSHOTS=<dir> the walk also saves a screenshot of each step there: `make guide`
regenerates the user guide's pictures (docs/guide/) from this test, so they never go stale.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from tests import factories
from tests.browser.conftest import axe_violations
from tests.files import MINIMAL_PDF

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GUIDE_DIR = os.environ.get("GUIDE_SCREENSHOTS", "")
TITLE = "“银龄数字课堂”社区助老智能手机培训"


# axe (WCAG 2.1 A/AA) findings on every admin page the walk stops at: {step: violations}.
FOUND: dict[str, list[str]] = {}


def shot(page, name: str) -> None:
    """Each step's page is checked with axe; its picture is saved for the guide only when asked (GUIDE_SCREENSHOTS)."""
    if "/admin/" in page.url:
        # Messages fade in: judge the colours they end with, not a frame of the fade.
        page.evaluate("""() => Promise.all(document.getAnimations()
            .filter(a => a.effect && a.effect.getComputedTiming().iterations !== Infinity).map(a => a.finished))""")
        FOUND[name] = axe_violations(page)
        # "axe with the date picker open": every date field is the browser's own input, whose
        # picker is not part of the page; Wagtail's calendar (unnamed day buttons) is nowhere.
        assert "initDateChooser(" not in page.content() and page.locator(".xdsoft_datetimepicker").count() == 0, name
    if GUIDE_DIR:
        Path(GUIDE_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(GUIDE_DIR) / f"{name}.png"))


def cover_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 540), (236, 244, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 120, 880, 420), fill=(0, 118, 145))
    draw.ellipse((380, 170, 580, 370), fill=(255, 214, 102))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def sign_in(page, site: str, user) -> None:
    """Through the login form, as a person would (a fresh session: the previous one is dropped)."""
    page.context.clear_cookies()
    page.goto(f"{site}/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(factories.DEFAULT_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{site}/admin/")


def confirm(page, label: str, picture: str = "") -> None:
    """Press the confirmation page's button (every batch or irreversible action has one)."""
    button = page.get_by_role("button", name=label)
    button.wait_for()
    if picture:
        shot(page, picture)
    button.click()
    page.wait_for_load_state()


@pytest.fixture
def people():
    campaign = factories.CampaignFactory(title="2026年数字素养典型案例征集（走查）", slug="walk-2026")
    return {
        "campaign": campaign,
        "submitter": factories.submitter("440100", username="walk-submitter", first_name="王芳"),
        "recommender": factories.recommender("440000", username="walk-recommender", first_name="李强"),
        "secretariat": factories.secretariat(username="walk-secretariat", first_name="赵敏"),
        "reviewers": [
            factories.reviewer("110000", username="walk-reviewer1", first_name="陈教授", organisation="北京某大学"),
            factories.reviewer("310000", username="walk-reviewer2", first_name="周研究员", organisation="上海某研究院"),
        ],
    }


def state_counts(page, site, campaign) -> dict[str, int]:
    """The secretariat's campaign overview, 按状态: {state label: count}."""
    page.goto(f"{site}/admin/desk/{campaign.pk}/")
    section = page.locator("section", has=page.get_by_role("heading", name="按状态"))
    counts = {}
    for text in section.locator("li").all_inner_texts():
        label, _sep, number = " ".join(text.split()).rpartition(" ")
        counts[label] = int(number)
    return counts


# --- the dashboards, read as a person reads them ----------------------------------------------


def _todo_text(page, site) -> str:
    """The to-do panel of the signed-in user's dashboard, whitespace collapsed."""
    if page.url != f"{site}/admin/":
        page.goto(f"{site}/admin/")
    return " ".join(page.locator(".cb-todo").first.inner_text().split())


def _number(text: str, pattern: str, none: str) -> int:
    """The count `pattern` shows, or 0 when the page says `none` instead; anything else fails
    (so a changed wording cannot pass as a zero)."""
    found = re.search(pattern, text)
    if found:
        return int(found.group(1))
    assert none in text, text
    return 0


def submitter_dashboard(page, site) -> dict[str, int]:
    """待办事项: drafts to finish and cases returned; 我的案例: the cases by state."""
    text = _todo_text(page, site)
    drafts = re.search(r"(\d+) 个草稿待完成并提交", text)
    returned = re.search(r"(\d+) 个案例被退回修改", text)
    if not drafts and not returned:
        assert "目前没有待您完成的案例" in text, text
    counts = {"草稿待完成": int(drafts.group(1)) if drafts else 0, "被退回修改": int(returned.group(1)) if returned else 0}
    for item in page.locator(".cb-state-counts li").all_inner_texts():
        label, _sep, number = " ".join(item.split()).rpartition(" ")
        counts[label] = int(number)
    return counts


def recommender_dashboard(page, site, category: str = "数字包容与适老化") -> dict[str, object]:
    """待推荐: the province's total, and the category's row (待推荐, 已用名额 used / quota)."""
    text = _todo_text(page, site)
    row = page.locator(".cb-todo tr", has_text=category).locator("td").all_inner_texts()
    return {"待推荐": _number(text, r"本省有 (\d+) 个已提交的案例等待您推荐", "目前没有等待推荐的案例"),
            "方向待推荐": int(row[0]), "已用名额": " ".join(row[1].split())}


def reviewer_dashboard(page, site) -> int:
    """待评分: the scores the reviewer has not submitted yet."""
    return _number(_todo_text(page, site), r"您有 (\d+) 个案例的评分尚未提交", "没有待评分的案例")


def secretariat_dashboard(page, site, campaign) -> dict[str, int]:
    """待办事项 of the walk's campaign: {label: count}, only what is waiting (as the page lists it)."""
    text = _todo_text(page, site)
    headings = page.locator(".cb-todo h3").all_inner_texts()
    if not headings:
        assert "各征集活动目前没有等待组织方处理的事项" in text, text
        return {}
    assert headings == [campaign.title], headings
    counts = {}
    for item in page.locator(".cb-todo li").all_inner_texts():
        label, number = re.match(r"(.+?)：(\d+)", " ".join(item.split())).groups()
        counts[label] = int(number)
    return counts


def submitter_creates_and_submits(page, site, people) -> None:
    sign_in(page, site, people["submitter"])
    assert submitter_dashboard(page, site) == {"草稿待完成": 0, "被退回修改": 0}
    shot(page, "submitter-01-dashboard")
    page.goto(f"{site}/admin/cases/new/")
    page.locator("#id_category").select_option(label="数字包容与适老化")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("依托社区学校开展智能手机培训，帮助老年人跨越数字鸿沟。")
    page.locator("#id_organisation").fill("广州市越秀区委网信办")
    page.locator("#id_organisation_type").select_option("government")
    page.locator("#id_period_start").fill("2024-03-01")
    page.locator("#id_scenarios_0").check()
    page.locator("#id_task_area").select_option("life")
    page.locator("#id_key_groups_7").check()
    shot(page, "submitter-02-basic")

    page.get_by_role("tab", name="案例正文").click()
    page.locator("#id_background").fill("辖区老年人口占比高，智能手机使用困难突出。")
    page.locator("#id_approach").fill("一是建立银龄数字课堂；二是组织青年志愿者结对帮扶；三是编写图文教材。")
    page.locator("#id_outcomes").fill("累计培训老年人一万二千人次。")
    page.locator("#id_lessons").fill("以需求为导向，线上线下结合。")
    page.locator("#id_replicability").fill("前提：有社区学校和志愿者队伍；成本：每期约两万元；周期：三个月。")
    shot(page, "submitter-03-body")

    page.get_by_role("tab", name="成效与指标").click()
    page.locator("#id_indicators-ADD").click()
    page.locator("#id_indicators-0-name").fill("培训人次")
    page.locator("#id_indicators-0-value").fill("12000")
    page.locator("#id_indicators-0-unit").fill("人次")
    page.locator("#id_indicators-0-baseline").fill("3000")
    shot(page, "submitter-04-indicators")

    page.get_by_role("tab", name="联系人").click()
    page.locator("#id_contact_name").fill("王芳")
    page.locator("#id_contact_phone").fill("13800138000")
    page.locator("#id_contact_email").fill("wangfang@example.cn")

    page.get_by_role("tab", name="图片与附件").click()
    page.get_by_role("button", name="保存草稿并上传图片、附件").click()
    page.wait_for_url(re.compile(r"/admin/cases/files/\d+/"))
    page.locator("#id_image-file").set_input_files(files=[{"name": "课堂.png", "mimeType": "image/png", "buffer": cover_png()}])
    page.locator("#id_image-alt").fill("志愿者在社区课堂指导老人使用智能手机")
    page.locator("#id_image-is_cover").check()
    shot(page, "submitter-05-files")
    page.get_by_role("button", name="上传图片").click()
    page.get_by_text("图片已上传。").wait_for()
    page.locator("#id_attachment-file").set_input_files(files=[{"name": "培训台账.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}])
    page.locator("#id_attachment-title").fill("培训台账")
    page.locator("#id_attachment-public").check()
    page.get_by_role("button", name="上传附件").click()
    page.get_by_text("附件已上传。").wait_for()
    shot(page, "submitter-06-complete")
    files_url = page.url
    assert submitter_dashboard(page, site) == {"草稿待完成": 1, "被退回修改": 0, "草稿": 1}
    page.goto(files_url)

    page.locator("[data-submit-link]").click()
    page.wait_for_url(re.compile(r"/action/\d+/submit/"))
    confirm(page, "确认提交", "submitter-07-confirm-submit")
    page.get_by_text("已完成“提交”").wait_for()
    assert submitter_dashboard(page, site) == {"草稿待完成": 0, "被退回修改": 0, "已提交": 1}


def recommender_nominates(page, site, people) -> None:
    sign_in(page, site, people["recommender"])
    assert recommender_dashboard(page, site) == {"待推荐": 1, "方向待推荐": 1, "已用名额": "0 / 50"}
    shot(page, "recommender-01-dashboard")
    page.goto(f"{site}/admin/nomination/")
    shot(page, "recommender-02-nomination")
    page.get_by_role("link", name=re.compile("数字包容与适老化")).first.click()
    page.locator("tr", has_text=TITLE).get_by_role("button", name=re.compile("^推荐")).click()
    page.get_by_text(f"已推荐“{TITLE}”").wait_for()
    shot(page, "recommender-03-nominated")
    assert recommender_dashboard(page, site) == {"待推荐": 0, "方向待推荐": 0, "已用名额": "1 / 50"}


def secretariat_checks_and_assigns(page, site, people) -> None:
    campaign = people["campaign"]
    sign_in(page, site, people["secretariat"])
    assert secretariat_dashboard(page, site, campaign) == {"待形式审查": 1}
    page.goto(f"{site}/admin/desk/{campaign.pk}/")
    shot(page, "secretariat-01-overview")
    page.get_by_role("navigation", name="活动工作台").get_by_role("link", name="形式审查").click()
    page.get_by_role("checkbox", name=re.compile(TITLE)).check()
    shot(page, "secretariat-02-check")
    page.get_by_role("button", name="通过形式审查（所勾选的案例）").click()
    confirm(page, "确认通过（1 个）", "secretariat-03-check-confirm")
    page.get_by_text("已有 1 个案例通过形式审查。").wait_for()
    assert secretariat_dashboard(page, site, campaign) == {"评审专家不足的案例": 1}

    page.goto(f"{site}/admin/desk/{campaign.pk}/pool/")
    page.get_by_role("button", name=re.compile("加入全部无回避冲突的专家")).click()
    confirm(page, "确认加入（2 位）", "secretariat-04-pool-confirm")
    page.get_by_text("已将 2 位评审专家加入专家库。").wait_for()
    shot(page, "secretariat-05-pool")

    page.goto(f"{site}/admin/desk/{campaign.pk}/assignments/")
    page.get_by_role("button", name="自动分配").click()
    confirm(page, "开始自动分配")
    page.get_by_text("已新分配 2 项评审任务。").wait_for()
    shot(page, "secretariat-06-assigned")
    page.get_by_role("button", name=re.compile("开始专家评审")).click()
    confirm(page, "确认开始评审（1 个）", "secretariat-07-start-review-confirm")
    page.get_by_text("已有 1 个案例进入专家评审。").wait_for()
    assert secretariat_dashboard(page, site, campaign) == {}


def reviewers_score(page, site, people) -> None:
    for number, (reviewer, scores) in enumerate(zip(people["reviewers"], [(22, 26, 21, 17), (20, 27, 22, 16)], strict=True), 1):
        sign_in(page, site, reviewer)
        assert reviewer_dashboard(page, site) == 1
        page.goto(f"{site}/admin/reviews/")
        if number == 1:
            shot(page, "reviewer-01-my-reviews")
        page.get_by_role("link", name=re.compile(TITLE)).first.click()
        for field, value in zip(("innovation", "effectiveness", "replicability", "leadership"), scores, strict=True):
            page.locator(f"#id_score_{field}").fill(str(value))
        page.locator("#id_comment").fill("做法扎实，数据翔实，可在城市社区推广。")
        if number == 1:
            shot(page, "reviewer-02-score")
        page.get_by_role("button", name="提交评分").click()
        confirm(page, "确认提交", "reviewer-03-confirm" if number == 1 else "")
        page.get_by_text("评分已提交，感谢您的评审。").wait_for()
        assert reviewer_dashboard(page, site) == 0


def secretariat_selects_and_opens_notice(page, site, people) -> None:
    campaign = people["campaign"]
    sign_in(page, site, people["secretariat"])
    page.goto(f"{site}/admin/desk/{campaign.pk}/ranking/")
    shot(page, "secretariat-08-ranking")
    tier = page.get_by_label(f"“{TITLE}”的入选等级")
    tier.select_option("exemplary")
    page.locator("form", has=tier).get_by_role("button").click()
    confirm(page, "确认拟入选", "secretariat-09-shortlist-confirm")
    page.get_by_text(f"“{TITLE}”已拟入选（示范案例）").wait_for()

    page.goto(f"{site}/admin/desk/{campaign.pk}/notice/")
    page.get_by_role("button", name="开始公示").click()
    confirm(page, "确认开始公示", "secretariat-10-notice-confirm")
    page.get_by_text("已有 1 个案例进入公示").wait_for()
    assert secretariat_dashboard(page, site, campaign) == {}  # seven days of notice: not ending soon


def citizen_objects(page, site, case) -> None:
    page.context.clear_cookies()
    page.goto(f"{site}/notices/{case.pk}/")
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("电子邮箱").fill("zhangsan@example.cn")
    page.get_by_label("异议理由").fill("该案例所称培训人次与当地公开报道的数据不符，请予核实。")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="提交异议").click()
    page.locator("[data-reference]").wait_for()


def secretariat_rules_and_publishes(page, site, people, case) -> None:
    from cases.models import Case

    campaign = people["campaign"]
    sign_in(page, site, people["secretariat"])
    assert secretariat_dashboard(page, site, campaign) == {"待处理的异议": 1}
    page.goto(f"{site}/admin/desk/{campaign.pk}/notice/")
    shot(page, "secretariat-11-notice")
    page.get_by_role("link", name="处理").first.click()
    page.get_by_label("异议不成立").check()
    page.get_by_label("核查结论").fill("经向培训机构核实台账，培训人次属实。")
    shot(page, "secretariat-12-objection")
    page.get_by_role("button", name="提交处理结果").click()
    confirm(page, "确认")
    page.get_by_text("已处理：异议不成立").wait_for()
    assert secretariat_dashboard(page, site, campaign) == {}

    # Publishing too early: the confirmation explains why, and offers nothing to confirm.
    page.goto(f"{site}/admin/desk/{campaign.pk}/notice/")
    page.get_by_role("button", name="发布", exact=True).click()
    assert "结束后才能发布" in page.locator("[data-confirm-skipped]").inner_text()
    shot(page, "secretariat-13-publish-too-early")
    assert page.get_by_role("button", name=re.compile("确认发布")).count() == 0

    # Seven days pass: the notice period is over.
    from django.utils import timezone

    Case.objects.filter(pk=case.pk).update(notice_ends=timezone.now() - timezone.timedelta(minutes=1))
    assert secretariat_dashboard(page, site, campaign) == {"公示期满、可以发布": 1}
    page.goto(f"{site}/admin/desk/{campaign.pk}/notice/")
    page.get_by_role("button", name="发布", exact=True).click()
    confirm(page, "确认发布（1 个）", "secretariat-14-publish-confirm")
    page.get_by_text("已发布 1 个案例。").wait_for()
    assert secretariat_dashboard(page, site, campaign) == {}


def test_a_campaign_walked_through_by_every_role(page, site, people, settings):
    from cases.models import Case

    # As deployed: the secretariat's publication builds the compilation (never a visitor's download).
    settings.CASEBOOK = {**settings.CASEBOOK, "COMPILATION_BUILD_ON_CHANGE": True}

    campaign = people["campaign"]
    FOUND.clear()
    sign_in(page, site, people["secretariat"])
    assert secretariat_dashboard(page, site, campaign) == {}
    before = state_counts(page, site, campaign)
    assert before["已发布"] == 0 and sum(before.values()) == 0
    # Before anything is submitted, nothing waits on the recommender or the reviewers.
    sign_in(page, site, people["recommender"])
    assert recommender_dashboard(page, site) == {"待推荐": 0, "方向待推荐": 0, "已用名额": "0 / 50"}
    for reviewer in people["reviewers"]:
        sign_in(page, site, reviewer)
        assert reviewer_dashboard(page, site) == 0

    submitter_creates_and_submits(page, site, people)
    case = Case.objects.get(title=TITLE)
    assert case.status == "submitted" and case.images.filter(is_cover=True).count() == 1 and case.attachments.count() == 1
    recommender_nominates(page, site, people)
    secretariat_checks_and_assigns(page, site, people)
    reviewers_score(page, site, people)
    assert Case.objects.get(pk=case.pk).status == "reviewed"
    secretariat_selects_and_opens_notice(page, site, people)
    citizen_objects(page, site, case)
    secretariat_rules_and_publishes(page, site, people, case)

    after = state_counts(page, site, campaign)
    assert after["已发布"] == 1 and sum(after.values()) == 1
    sign_in(page, site, people["submitter"])
    assert submitter_dashboard(page, site) == {"草稿待完成": 0, "被退回修改": 0, "已发布": 1}

    assert len(FOUND) >= 25, sorted(FOUND)
    failures = [f"{step}: {line}" for step, lines in FOUND.items() for line in lines]
    assert not failures, "\n".join(failures)

    # On the public site, with its cover, and in the campaign's compilation.
    page.context.clear_cookies()
    page.goto(f"{site}/cases/{case.pk}/")
    assert page.locator("h1").inner_text() == TITLE
    assert page.get_by_role("img", name="志愿者在社区课堂指导老人使用智能手机").count() >= 1
    shot(page, "public-01-published-case")
    book = page.request.get(f"{site}/campaigns/{campaign.slug}/compilation.pdf")
    assert book.ok and book.headers["content-type"] == "application/pdf" and book.body().startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(book.body())).pages)
    assert "银龄数字课堂" in text
