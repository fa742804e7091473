"""Keyboard and screen-reader use of the forms officials fill in (issue 16, item 8), in chromium.

Each test names the point of the issue it covers; each fails on the form as it was before.
"""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.browser.conftest import axe_violations
from tests.browser.test_campaign_walk import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Relative luminance contrast of an element's text against the first opaque background behind it.
CONTRAST_JS = """el => {
  function rgb(s) { const m = s.match(/[\\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; }
  function lum(c) { return [c.r, c.g, c.b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
                     .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0); }
  let node = el, bg = null;
  while (node && node.nodeType === 1) { const c = rgb(getComputedStyle(node).backgroundColor); if (c.a > 0.9) { bg = c; break; } node = node.parentElement; }
  bg = bg || {r: 255, g: 255, b: 255};
  const fg = rgb(getComputedStyle(el).color);
  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}"""


@pytest.fixture
def submitter():
    factories.CampaignFactory(title="2026年数字素养典型案例征集（无障碍）", slug="a11y-2026")
    return factories.submitter("440100", username="a11y-submitter")


def _new_case(page, site, submitter):
    sign_in(page, site, submitter)
    page.goto(f"{site}/admin/cases/new/")
    page.locator("#id_title").wait_for()


def test_date_fields_are_the_browsers_own_and_open_nothing_on_focus(page, site, submitter):
    _new_case(page, site, submitter)
    start = page.locator("#id_period_start")
    assert start.get_attribute("type") == "date"
    start.focus()
    # Wagtail's calendar (.xdsoft_datetimepicker) opened on focus and covered later fields.
    assert page.locator(".xdsoft_datetimepicker:visible").count() == 0
    page.keyboard.press("Escape")
    assert page.locator(".xdsoft_datetimepicker:visible").count() == 0


def test_save_and_submit_has_enough_contrast(page, site, submitter):
    _new_case(page, site, submitter)
    button = page.get_by_role("button", name="保存并提交")
    assert button.evaluate(CONTRAST_JS) >= 4.5


def test_checkbox_groups_have_a_group_label(page, site, submitter):
    _new_case(page, site, submitter)
    assert page.get_by_role("group", name="应用场景").get_by_role("checkbox").count() == 4
    assert page.get_by_role("group", name="重点群体").get_by_role("checkbox").count() >= 10


def test_fields_needed_to_submit_are_marked_before_saving(page, site, submitter):
    from cases.validation import NEEDED_TO_SUBMIT

    _new_case(page, site, submitter)
    # The mark is part of the label, so it is announced with the field.
    assert page.get_by_label(re.compile("^案例摘要（提交必填）")).count() == 1
    marked = page.locator(".cb-needed").count()
    assert marked == len(NEEDED_TO_SUBMIT)
    # Fields needed to save are `required`; every asterisk has it.
    for label in page.locator("label:has(.w-required-mark)").all():
        target = label.get_attribute("for")
        if target and "__prefix__" not in target:
            field = page.locator(f"#{target}")
            assert field.get_attribute("required") is not None or field.get_attribute("aria-required") == "true", target


def test_indicator_asterisks_match_required(page, site, submitter):
    _new_case(page, site, submitter)
    page.get_by_role("tab", name="成效与指标").click()
    page.locator("#id_indicators-ADD").click()
    for name in ("name", "value"):
        assert page.locator(f"#id_indicators-0-{name}").get_attribute("required") is not None
    for name in ("unit", "baseline"):
        assert page.locator(f"#id_indicators-0-{name}").get_attribute("required") is None


def test_failed_save_focuses_an_error_summary_on_the_tab_of_the_first_error(page, site, submitter):
    _new_case(page, site, submitter)
    assert page.locator("#cb-error-summary").count() == 0  # not there from load
    page.get_by_role("tab", name="联系人").click()
    page.locator("#id_contact_phone").fill("12345")
    page.get_by_role("button", name="保存草稿").click()
    summary = page.locator("#cb-error-summary")
    summary.wait_for()
    assert summary.get_attribute("role") == "alert"
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'cb-error-summary'")
    links = summary.locator("a")
    texts = links.all_inner_texts()
    assert any(t.startswith("案例名称：") for t in texts) and any(t.startswith("联系电话") for t in texts)
    # The first error (案例名称) is on 基本信息: that tab is open.
    assert page.get_by_role("tab", name="基本信息").get_attribute("aria-selected") == "true"
    # A link opens its field's tab and focuses the field.
    summary.get_by_role("link", name=re.compile("^联系电话")).click()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'id_contact_phone'")
    assert page.get_by_role("tab", name="联系人").get_attribute("aria-selected") == "true"
    assert not axe_violations(page)


def test_enter_in_a_text_field_saves_the_draft_not_the_upload_button(page, site, submitter):
    _new_case(page, site, submitter)
    page.locator("#id_title").fill("回车保存的案例")
    page.locator("#id_title").press("Enter")
    page.wait_for_url(re.compile(r"/admin/cases/edit/\d+/\?saved=1"))


def test_section_controls_have_distinct_names(page, site, submitter):
    _new_case(page, site, submitter)
    names = [t.get_attribute("aria-label") for t in page.locator("[data-panel-toggle]").all()]
    names = [n for n in names if n]
    assert "部件开关" not in names
    visible = [t.get_attribute("aria-label") for t in page.get_by_role("tabpanel").locator("[data-panel-toggle]").all()]
    assert len(visible) == len(set(visible)) >= 3


def test_campaign_and_special_project_selects_fit_at_320px(browser, site, submitter):
    context = browser.new_context(locale="zh-CN", viewport={"width": 320, "height": 640})
    page = context.new_page()
    _new_case(page, site, submitter)
    for selector in ("#id_campaign", "#id_special_project"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, selector
    context.close()


@pytest.mark.parametrize("username,password", [("", ""), ("a11y-submitter", "wrong-password")])
def test_login_errors_are_tied_to_existing_elements(page, site, submitter, username, password):
    page.goto(f"{site}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    for field in page.locator("form [aria-describedby]").all():
        for ref in field.get_attribute("aria-describedby").split():
            assert page.locator(f"[id='{ref}']").count() == 1, ref


def test_image_upload_error_is_tied_to_the_alt_field_and_asks_for_the_file_again(page, site, submitter):
    from tests.workflow_paths import complete_draft

    case = complete_draft(campaign=factories.CampaignFactory(slug="a11y-2026"), region_code="440100", by=submitter)
    sign_in(page, site, submitter)
    page.goto(f"{site}/admin/cases/files/{case.pk}/")
    back = page.get_by_role("link", name="返回填写案例内容")
    assert back.locator("svg").bounding_box()["height"] <= 24  # the way back: an inline arrow (it was a chevron ~90 px tall)
    page.locator("#id_image-file").set_input_files(files=[{"name": "p.png", "mimeType": "image/png", "buffer": _png()}])
    page.get_by_role("button", name="上传图片").click()
    alt = page.locator("#id_image-alt")
    alt.wait_for()
    assert alt.get_attribute("aria-invalid") == "true"
    described = " ".join(page.locator(f"[id='{ref}']").inner_text() for ref in alt.get_attribute("aria-describedby").split())
    assert "请填写图片说明" in described
    file_help = " ".join(
        page.locator(f"[id='{ref}']").inner_text()
        for ref in (page.locator("#id_image-file").get_attribute("aria-describedby") or "").split()
    )
    assert "请重新选择图片文件" in file_help


def _png() -> bytes:
    from tests.files import png_bytes

    return png_bytes(size=(320, 180))


class Keyboard:
    """The keyboard only, counted: key presses and typed characters."""

    def __init__(self, page):
        self.page, self.presses, self.typed = page, 0, 0

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
            self.presses += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.typed += len(text)

    def focused(self, selector: str) -> bool:
        return self.page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)

    def tab_to(self, selector: str, backwards: bool = False, limit: int = 300) -> None:
        for _ in range(limit):
            if self.focused(selector):
                return
            self.press("Shift+Tab" if backwards else "Tab")
        raise AssertionError(f"Tab never reached {selector}")

    def choose(self, selector: str, value: str) -> None:
        self.tab_to(selector)
        for _ in range(60):
            if self.page.locator(selector).input_value() == value:
                return
            self.press("ArrowDown")
        raise AssertionError(f"{selector}: no option {value}")

    def fill(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.type(text)

    def type_date(self, selector: str, year: str, month: str, day: str) -> None:
        """Into the browser's date field (the first on the page), segment by segment in the order it shows them
        (month and day move on by themselves after two digits; the year, up to six, does not)."""
        self.tab_to(selector)
        # The segments' order follows the browser's own language (m/d/y in an English chromium):
        # read it from the accessibility tree, as a screen reader would (the first date field's three).
        tree = self.page.context.new_cdp_session(self.page).send("Accessibility.getFullAXTree")
        names = [n.get("name", {}).get("value", "") for n in tree["nodes"] if n.get("role", {}).get("value") == "spinbutton"][:3]
        words = {"year": ("Year", "年"), "month": ("Month", "月"), "day": ("Day", "日")}
        order = [next(part for part, marks in words.items() if any(m in name for m in marks)) for name in names]
        for i, part in enumerate(order):
            self.type({"year": year, "month": month, "day": day}[part])
            if part == "year" and i < len(order) - 1:
                self.press("ArrowRight")

    def open_tab(self, name: str) -> None:
        """To the tab list (the selected tab), then along it with the arrow keys."""
        self.tab_to('[role=tab][aria-selected="true"]', backwards=True)
        for _ in range(8):
            if self.page.get_by_role("tab", name=name).get_attribute("aria-selected") == "true":
                return
            self.press("ArrowRight")
        raise AssertionError(f"tab {name} never selected")

    def upload(self, selector: str, name: str, mime: str, content: bytes) -> None:
        """Tab to the file field; the choice made in the system's file dialog (outside the page, which
        headless chromium does not open from a key press) is then set on the focused field."""
        self.tab_to(selector)
        self.page.locator(selector).set_input_files(files=[{"name": name, "mimeType": mime, "buffer": content}])


def test_a_case_is_submitted_with_the_keyboard_only(page, site, submitter, record_property):
    """Sign-in to 已提交 without a click; the key count is recorded (issue 16 measured 345 keys
    and 407 typed characters before the changes)."""
    from cases.models import Case
    from tests.browser.test_campaign_walk import cover_png
    from tests.files import MINIMAL_PDF

    keys = Keyboard(page)
    page.goto(f"{site}/admin/login/")
    keys.fill("#id_username", submitter.username)
    keys.fill("#id_password", factories.DEFAULT_PASSWORD)
    keys.press("Enter")
    page.wait_for_url(f"{site}/admin/")
    keys.tab_to('a[href$="/admin/cases/new/"]')
    keys.press("Enter")
    page.locator("#id_title").wait_for()

    keys.choose("#id_category", str(page.locator("#id_category option").nth(1).get_attribute("value")))
    keys.fill("#id_title", "键盘填写的社区助老案例")
    keys.fill("#id_summary", "依托社区学校开展智能手机培训。")
    keys.fill("#id_organisation", "广州市越秀区委网信办")
    keys.choose("#id_organisation_type", "government")
    keys.type_date("#id_period_start", "2024", "03", "01")
    assert page.locator("#id_period_start").input_value() == "2024-03-01"
    keys.tab_to("#id_scenarios_0")
    keys.press("Space")
    keys.choose("#id_task_area", "life")
    keys.tab_to("#id_key_groups_7")
    keys.press("Space")

    keys.open_tab("案例正文")
    for name, text in (("background", "老年人口占比高。"), ("approach", "一是开设课堂；二是志愿者结对。"), ("outcomes", "培训一万人次。"),
                       ("lessons", "需求导向。"), ("replicability", "需要社区学校和志愿者。")):
        keys.fill(f"#id_{name}", text)
    keys.open_tab("成效与指标")
    keys.tab_to("#id_indicators-ADD")
    keys.press("Enter")
    keys.fill("#id_indicators-0-name", "培训人次")
    keys.fill("#id_indicators-0-value", "10000")
    keys.open_tab("联系人")
    keys.fill("#id_contact_name", "王芳")
    keys.fill("#id_contact_phone", "13800138000")
    keys.fill("#id_contact_email", "wangfang@example.cn")
    keys.open_tab("图片与附件")
    keys.tab_to('button[name="action-files"]')
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/admin/cases/files/\d+/"))

    keys.upload("#id_image-file", "课堂.png", "image/png", cover_png())
    keys.fill("#id_image-alt", "志愿者指导老人使用智能手机")
    keys.tab_to("#id_image-is_cover")
    keys.press("Space")
    keys.tab_to('form:has(#id_image-file) button[type="submit"]')
    keys.press("Enter")
    page.get_by_text("图片已上传。").wait_for()
    keys.upload("#id_attachment-file", "台账.pdf", "application/pdf", MINIMAL_PDF)
    keys.tab_to('form:has(#id_attachment-file) button[type="submit"]')
    keys.press("Enter")
    page.get_by_text("附件已上传。").wait_for()

    keys.tab_to("[data-submit-link]")
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/action/\d+/submit/"))
    keys.tab_to('form button[type="submit"]')
    keys.press("Enter")
    page.get_by_text("已完成“提交”").wait_for()

    assert Case.objects.get(title="键盘填写的社区助老案例").status == "submitted"
    record_property("keyboard_presses", keys.presses)
    record_property("typed_characters", keys.typed)
    print(f"keyboard-only submission: {keys.presses} key presses, {keys.typed} typed characters")
