"""The 审计日志 page reads as sentences, not JSON (issue 16, item 4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

import audit
from audit.summary import describe
from tests import factories
from tests.factories import case_in

pytestmark = pytest.mark.django_db


def test_transition_details_read_as_a_sentence():
    text = describe("case.transition", {"transition": "return_for_revision", "from": "submitted", "to": "returned",
                                        "reason": "请补充成效数据", "record_id": 7})
    assert text == "退回修改：已提交 → 退回修改；理由：请补充成效数据"


def test_other_details_get_chinese_keys_and_values():
    assert describe("export", {"export": "nomination_sheet", "province": "440000"}) == "推荐汇总表（省份：440000）"
    assert describe("login.failure", {"reason": "credentials", "path": "/admin/login/"}) == \
        "原因：用户名或密码错误，地址：/admin/login/"
    assert describe("rate.limited", {"rule": "signin", "limit": 20, "window": 60}) == "登录：每 60 秒不超过 20 次"
    assert describe("logout", None) == ""
    # An unknown key still shows, so nothing recorded is hidden.
    assert describe("export", {"export": "x", "extra_key": 1}).endswith("extra_key：1）")


def test_audit_page_shows_summaries_and_model_names_not_json(client, campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_in("returned", campaign=campaign, region_code="440100")
    audit.record("export", user=factories.secretariat(username="secretariat-test"), obj=campaign,
                 details={"export": "ranking_sheet", "category": ""})
    client.force_login(factories.secretariat(username="secretariat-test"))
    html = client.get(reverse("audit_log")).content.decode()
    assert "退回修改：已提交 → 退回修改；理由：请补充成效数据" in html
    assert "排名表" in html and "ranking_sheet" not in html and "&quot;export&quot;" not in html
    assert f"案例 {case.pk}" in html and "cases.case" not in html
    # 角色, 操作, 结果 never break one character per line; the table scrolls on a narrow screen.
    assert '<td class="cb-nowrap">组织方</td>' in html
    assert 'class="cb-table-scroll" role="region"' in html
