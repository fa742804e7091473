"""What a visitor does, in a real browser: search and facet, open a case, large text, object."""

from __future__ import annotations

import re

import pytest

from tests.files import MINIMAL_PDF

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _font_px(page) -> float:
    return float(page.evaluate("getComputedStyle(document.body).fontSize").removesuffix("px"))


def _line_height_ratio(page) -> float:
    style = page.evaluate("(() => { const s = getComputedStyle(document.body); return [s.lineHeight, s.fontSize]; })()")
    return float(style[0].removesuffix("px")) / float(style[1].removesuffix("px"))


def test_search_facet_open_a_case_and_read_it_in_large_text(page, site, showcase):
    page.goto(f"{site}/cases/")
    assert page.locator("h1").inner_text() == "案例库"

    page.get_by_label("检索案例").fill("老年人")
    page.get_by_role("button", name="检索", exact=True).click()
    page.wait_for_url(re.compile(r"/cases/\?q=%E8%80%81%E5%B9%B4%E4%BA%BA"))
    results = page.locator("ol.result-list > li")
    assert results.count() == 2
    assert page.locator("ol.result-list mark").first.inner_text() == "老年人"
    assert showcase["notice"].title not in page.content()

    # Narrow to Guangdong with the province checkbox (a GET form: the URL holds the state).
    province = page.locator("details.facet", has=page.locator("summary", has_text="省份"))
    if not province.evaluate("d => d.open"):
        province.locator("summary").click()
    page.get_by_label(re.compile(r"^广东省")).check()
    page.get_by_role("button", name="应用筛选").click()
    page.wait_for_url(re.compile(r"province=440000"))
    assert "q=%E8%80%81%E5%B9%B4%E4%BA%BA" in page.url
    assert results.count() == 1
    assert page.get_by_label(re.compile(r"^广东省")).is_checked()

    # The shareable URL reproduces the same state in a fresh page.
    shared = page.context.new_page()
    shared.goto(page.url)
    assert shared.locator("ol.result-list > li").count() == 1
    shared.close()

    page.get_by_role("link", name=re.compile("广州银龄课堂")).click()
    page.wait_for_url(f"{site}/cases/{showcase['gd'].pk}/")
    assert page.locator("h1").inner_text() == showcase["gd"].title
    assert page.locator("table.indicators").is_visible()
    normal = _font_px(page)

    switch = page.locator("a[data-display=text]")
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.documentElement.classList.contains('text-large')")
    large = _font_px(page)
    assert large >= 18 and large > normal
    assert _line_height_ratio(page) >= 1.5

    # Persistent: the next page starts in large text (server-rendered from the cookie).
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="征集活动").click()
    page.wait_for_url(f"{site}/campaigns/")
    assert page.evaluate("document.documentElement.classList.contains('text-large')")
    assert _font_px(page) == large
    assert _line_height_ratio(page) >= 1.5

    # And back to standard size.
    page.locator("a[data-display=text]").click()
    assert _font_px(page) == normal


def test_large_text_switch_works_without_javascript(browser, site, showcase):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{site}/cases/{showcase['zj'].pk}/")
    normal = _font_px(page)
    page.get_by_role("link", name="大字模式").click()
    page.wait_for_url(f"{site}/cases/{showcase['zj'].pk}/")
    assert _font_px(page) >= 18 and _font_px(page) > normal
    page.goto(f"{site}/about/")
    assert _font_px(page) > normal
    page.get_by_role("link", name="标准字号").click()
    page.wait_for_url(f"{site}/about/")
    assert _font_px(page) == normal
    context.close()


def test_object_to_a_case_in_notice(page, site, showcase):
    from cases.models import Objection

    noticed = showcase["notice"]
    page.goto(f"{site}/notices/")
    assert page.locator(".countdown").first.inner_text().startswith("（还剩")
    page.get_by_role("link", name=re.compile(f"查看案例并提出异议.*{noticed.title}")).click()
    page.wait_for_url(f"{site}/notices/{noticed.pk}/")
    assert page.locator("h1").inner_text() == noticed.title
    privacy = page.get_by_role("heading", name="个人信息处理说明（请先阅读）")
    assert privacy.is_visible()

    # Submitting nothing: Chinese errors, the summary takes the focus.
    page.get_by_role("button", name="提交异议").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert "请填写真实姓名" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"

    page.get_by_label("姓名").fill("张三")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("电子邮箱").fill("zhangsan@example.cn")
    page.get_by_label("异议理由").fill("该案例所称培训人次与当地公开报道的数据明显不符，请予核实。")
    page.get_by_label("证明材料（可选）").set_input_files(
        files=[{"name": "证据.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.get_by_label(re.compile("我已阅读上面的个人信息处理说明")).check()
    page.get_by_role("button", name="提交异议").click()

    page.wait_for_url(f"{site}/notices/{noticed.pk}/received/")
    reference = page.locator("[data-reference]").inner_text()
    assert re.fullmatch(r"YY\d{8}-[A-Z2-9]{6}", reference)
    assert page.locator("h1").inner_text() == "异议已受理"
    objection = Objection.objects.get(reference=reference)
    assert objection.case_id == noticed.pk and objection.evidence is not None
