"""异议进度查询 (issue 16, item 5): reference + last four phone digits → status and, once ruled,
the ruling; nothing else; every miss reads the same; Chinese errors; rate-limited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases import notice
from cases.models import Objection
from security import ratelimit
from tests import factories
from tests.security.conftest import rules
from tests.workflow_paths import bring_to

pytestmark = pytest.mark.django_db
URL = "/notices/lookup/"


@pytest.fixture
def objection(campaign):
    case = bring_to("in_notice", campaign=campaign, region_code="440100", title="公示中的助老案例")
    return notice.submit_objection(case_id=case.pk, name="李四", phone="13912345678", email="lisi@example.cn",
                                   reason="案例中的培训人数与实际情况明显不符。")


def ask(client, reference, digits):
    return client.post(URL, {"reference": reference, "phone_last4": digits})


def test_open_objection_shows_its_status_and_nothing_else(client, objection):
    response = ask(client, objection.reference, "5678")
    html = response.content.decode()
    assert response.status_code == 200 and "处理进度：<strong>核查中</strong>" in html
    for private in ("李四", "13912345678", "lisi@example.cn", "培训人数与实际情况", "公示中的助老案例"):
        assert private not in html
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]


def test_ruled_objection_shows_the_ruling(client, objection):
    secretariat = factories.secretariat(username="secretariat-test")
    notice.rule_objection(objection_id=objection.pk, by=secretariat, outcome="dismissed",
                          conclusion="经核实，培训台账与申报数据一致。")
    # Lower-case and full-width input (as a Chinese input method types it) is accepted.
    html = ask(client, objection.reference.lower(), "５６７８").content.decode()
    assert "异议不成立" in html and "经核实，培训台账与申报数据一致。" in html and "处理时间" in html
    assert "李四" not in html and "secretariat-test" not in html


def test_every_miss_reads_the_same(client, objection):
    wrong_digits = ask(client, objection.reference, "0000")
    unknown = ask(client, "YY20260101-ZZZZZZ", "5678")
    for response in (wrong_digits, unknown):
        assert response.status_code == 404
        assert "没有查到相符的异议" in response.content.decode()
    # Once the objector's data is erased, the phone is gone and so is the lookup.
    Objection.objects.filter(pk=objection.pk).update(phone="", personal_data_erased_at=objection.created_at)
    assert ask(client, objection.reference, "5678").status_code == 404


def test_bad_input_gets_chinese_errors_and_keeps_what_was_typed(client, objection):
    response = ask(client, objection.reference, "56a")
    html = response.content.decode()
    assert response.status_code == 400 and "请填写 4 位数字" in html and objection.reference in html
    assert "请填写受理编号" in ask(client, "", "").content.decode()


def test_lookups_are_rate_limited(settings, objection, monkeypatch):
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_800_000_030.0)
    settings.RATE_LIMITS = rules(objection_lookup=3)
    client = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(3):
        assert ask(client, objection.reference, "0000").status_code == 404
    response = ask(client, objection.reference, "5678")
    assert response.status_code == 429 and "请求过于频繁" in response.content.decode()
    assert client.get(URL).status_code == 200  # reading the form is not limited


def test_receipt_and_notice_list_point_to_the_lookup(client, campaign):
    case = bring_to("in_notice", campaign=campaign, region_code="440100")
    client.post(reverse("website:notice", args=[case.pk]), {
        "name": "王五", "phone": "13800001111", "email": "wangwu@example.cn",
        "reason": "该案例的成效数据缺少证明材料。", "consent": "on",
    })
    receipt = client.get(reverse("website:objection_received", args=[case.pk])).content.decode()
    assert f'href="{URL}"' in receipt and "电话的后四位" in receipt and "查询进度时需要提供" not in receipt
    assert f'href="{URL}"' in client.get(reverse("website:notices")).content.decode()
