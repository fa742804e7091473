"""Tables and controls as an official and a citizen see them (issue 16, item 4), in chromium:
at 1280 px the audit log's short columns stay on one line and the assignment table keeps the case
title readable; the dashboard's 新建案例 and the files page's back link have text-sized icons;
at 320 px a public table scrolls in its own box, says so, and 单位 stays on one line."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Case
from tests import factories
from tests.browser.conftest import sign_in
from tests.workflow_paths import bring_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LINES = """(el) => { const r = document.createRange(); r.selectNodeContents(el);
  return new Set(Array.from(r.getClientRects()).map((b) => Math.round(b.top))).size; }"""


def test_admin_tables_and_icons_at_1280(browser, site, campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the audit records follow the commit
        bring_to("eligible", campaign=campaign, region_code="440100",
                            title="“银龄数字课堂”社区助老智能手机培训与志愿者结对帮扶的三年实践")
    draft = bring_to("draft", campaign=campaign, region_code="440100")
    secretariat = factories.secretariat(username="secretariat-test")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sign_in(context, site, secretariat)
    page = context.new_page()

    page.goto(site + reverse("audit_log"))
    for cell in page.locator("table.cb-audit tbody td.cb-nowrap").all()[:12]:
        assert cell.evaluate(LINES) <= 1, cell.inner_text()

    page.goto(site + reverse("desk:assignments", args=[campaign.pk]))
    title = page.locator("table.cb-assignments th[scope=row]").filter(has_text="银龄数字课堂")
    assert title.bounding_box()["width"] >= 200  # was squeezed to ~4 characters

    submitter = Case.objects.get(pk=draft.pk).created_by
    submitter_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sign_in(submitter_context, site, submitter)
    page = submitter_context.new_page()
    page.goto(site + reverse("wagtailadmin_home"))
    button = page.get_by_role("link", name="新建案例")
    assert button.is_visible() and button.locator("svg").bounding_box()["height"] <= 24
    page.goto(site + reverse("cases:files", args=[draft.pk]))
    back = page.get_by_role("link", name="返回填写案例内容")
    assert back.locator("svg").bounding_box()["height"] <= 24  # was a giant "<" chevron
    context.close()
    submitter_context.close()


def test_public_indicator_table_at_320(browser, site, campaign):
    case = bring_to("published", campaign=campaign, region_code="440100")
    context = browser.new_context(locale="zh-CN", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{site}/cases/{case.pk}/")
    box = page.locator(".table-scroll").filter(has=page.locator("table.indicators"))
    assert box.evaluate("(el) => el.scrollWidth > el.clientWidth")  # it scrolls in its own box
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # the page itself does not
    assert page.locator("#s-indicators + .scroll-hint, .scroll-hint").first.is_visible()
    assert page.locator("table.indicators thead th.unit").evaluate(LINES) == 1  # 单位 on one line
    context.close()
