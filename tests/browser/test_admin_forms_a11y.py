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
