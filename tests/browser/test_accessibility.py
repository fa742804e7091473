"""axe-core (WCAG 2.1 A and AA rules) on every public page type, in standard and large-text modes."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MODES = {"standard": [], "large-text": [("cb_text", "large")], "large-text+high-contrast": [("cb_text", "large"), ("cb_contrast", "high")]}


def _pages(showcase) -> dict[str, str]:
    return {
        "home": "/",
        "library with results": "/cases/?q=%E8%80%81%E5%B9%B4%E4%BA%BA&scenario=life",
        "library empty": "/cases/?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E8%AF%8D&province=440000",
        "library error": "/cases/?page=abc",
        "case": f"/cases/{showcase['gd'].pk}/",
        "campaign list": "/campaigns/",
        "campaign": f"/campaigns/{showcase['campaign'].slug}/",
        "notices": "/notices/",
        "notice detail and form": f"/notices/{showcase['notice'].pk}/",
        "privacy": "/privacy/",
        "about": "/about/",
        "not found": "/cases/999999/",
    }


@pytest.mark.parametrize("mode", list(MODES))
def test_every_public_page_type_has_no_wcag_violations(browser, site, showcase, mode):
    context = browser.new_context(locale="zh-CN")
    context.add_cookies([{"name": name, "value": value, "url": site} for name, value in MODES[mode]])
    page = context.new_page()
    found: dict[str, list[str]] = {}
    for name, path in _pages(showcase).items():
        page.goto(site + path)
        if MODES[mode]:
            assert page.evaluate("document.documentElement.classList.contains('text-large')"), path
        found[name] = axe_violations(page)

    # The notice form after a failed submission, and the confirmation with its reference.
    page.goto(f"{site}/notices/{showcase['notice'].pk}/")
    page.get_by_role("button", name="提交异议").click()
    page.locator("#error-summary").wait_for()
    found["notice form with errors"] = axe_violations(page)
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("电子邮箱").fill("zhangsan@example.cn")
    page.get_by_label("异议理由").fill("该案例所称培训人次与当地公开报道的数据明显不符，请予核实。")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="提交异议").click()
    page.locator("[data-reference]").wait_for()
    found["objection received"] = axe_violations(page)

    # The case page with the adoption form, for a submitter of another region (and its errors).
    sign_in(context, site, factories.submitter("330100", username="hz-a11y"))
    page.goto(f"{site}/cases/{showcase['gd'].pk}/")
    page.get_by_role("button", name="提交借鉴报告").wait_for()
    found["case with adoption form"] = axe_violations(page)
    page.get_by_role("button", name="提交借鉴报告").click()
    page.locator("#error-summary").wait_for()
    found["adoption form with errors"] = axe_violations(page)
    context.close()

    failures = {name: lines for name, lines in found.items() if lines}
    assert not failures, "\n".join(f"{name}: {line}" for name, lines in failures.items() for line in lines)


def test_usable_at_320px_without_horizontal_scrolling(browser, site, showcase):
    """WCAG 1.4.10 reflow: 320 CSS px wide (what 1280 px at 400% zoom gives), in large text."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 320, "height": 640})
    context.add_cookies([{"name": "cb_text", "value": "large", "url": site}])
    page = context.new_page()
    for path in _pages(showcase).values():
        page.goto(site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} scrolls sideways ({width}px)"
    context.close()


def test_keyboard_reaches_the_main_content_with_a_visible_focus(page, site, showcase):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "跳到主要内容"
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    assert skip.bounding_box()["x"] >= 0  # shown on focus, not off-screen
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
