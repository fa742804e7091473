"""The 公示 pages: the list with end dates, the case in notice and the real-name objection form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import Case, Objection
from tests.files import pdf_upload

pytestmark = pytest.mark.django_db

VALID = {
    "name": "张三", "phone": "13912345678", "email": "zhangsan@example.cn",
    "reason": "该案例所称培训人次与当地公开报道的数据明显不符，请予核实。", "consent": "on",
}


@pytest.fixture
def noticed(make_case):
    return make_case("in_notice", title="公示中的银龄课堂")


def test_list_shows_end_date_and_days_left_without_javascript(client, noticed):
    html = client.get("/notices/").content.decode()
    ends = timezone.localtime(noticed.notice_ends)
    assert f'<time datetime="{ends.isoformat()}">{ends:%Y年%-m月%-d日 %H:%M}</time>' in html
    days = (ends.date() - timezone.localdate()).days
    assert f"（还剩 {days} 天）" in html
    assert f'data-countdown="{ends.isoformat()}"' in html  # the script only refines this text
    assert f'href="/notices/{noticed.pk}/"' in html


def test_detail_puts_the_privacy_notice_before_the_form(client, noticed, settings):
    html = client.get(f"/notices/{noticed.pk}/").content.decode()
    privacy = html.index("个人信息处理说明")
    form = html.index('enctype="multipart/form-data"')
    assert privacy < form
    notice = html[privacy:form]
    for text in ("收集什么", "为什么收集", "谁能看到", "保存多久", f"保存 {settings.CASEBOOK['OBJECTION_RETENTION_DAYS']} 天"):
        assert text in notice
    for field in ("name", "phone", "email", "reason", "evidence", "consent"):
        assert f'name="{field}"' in html


def test_objection_gets_a_reference_number(client, noticed, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/notices/{noticed.pk}/", {**VALID, "evidence": pdf_upload()})
    assert response.status_code == 303
    assert response["Location"] == f"/notices/{noticed.pk}/received/"
    objection = Objection.objects.get()
    assert objection.case_id == noticed.pk and objection.name == "张三" and objection.evidence is not None
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "异议已受理" in html and f'<p class="reference" data-reference>{objection.reference}</p>' in html
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    assert [m.to for m in mail.outbox if objection.reference in m.subject] == [["zhangsan@example.cn"]]


def test_confirmation_is_only_for_the_objector(client, noticed):
    response = client.get(f"/notices/{noticed.pk}/received/")
    assert response.status_code == 302 and response["Location"] == f"/notices/{noticed.pk}/"


def test_errors_are_chinese_and_keep_the_input(client, noticed):
    data = {**VALID, "phone": "12345", "email": "不是邮箱", "reason": "太短"}
    response = client.post(f"/notices/{noticed.pk}/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "提交未成功，请修改以下内容" in html
    assert "请填写 11 位手机号码或带区号的固定电话" in html
    assert "请填写有效的电子邮箱" in html
    assert "请写明异议理由和事实依据（10 至 3000 字）" in html
    assert 'value="张三"' in html and 'value="12345"' in html and 'value="不是邮箱"' in html
    assert "太短</textarea>" in html
    assert re.search(r'name="consent"[^>]*checked', html)
    assert 'aria-describedby="phone-hint phone-error"' in html
    assert not Objection.objects.exists()


def test_consent_is_required(client, noticed, django_capture_on_commit_callbacks):
    data = {k: v for k, v in VALID.items() if k != "consent"}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"/notices/{noticed.pk}/", data)
    assert response.status_code == 400
    assert "请先阅读个人信息处理说明并勾选同意" in response.content.decode()
    assert 'value="13912345678"' in response.content.decode()
    assert not Objection.objects.exists() and not callbacks  # nothing kept, no e-mail


def test_all_errors_are_shown_at_once(client, noticed):
    response = client.post(f"/notices/{noticed.pk}/", {"name": "", "phone": "1", "email": "", "reason": ""})
    html = response.content.decode()
    for message in ("请填写真实姓名", "请填写 11 位手机号码", "请填写有效的电子邮箱", "请写明异议理由", "请先阅读个人信息处理说明"):
        assert message in html
    assert not Objection.objects.exists()


def test_evidence_must_be_a_document(client, noticed):
    fake = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(f"/notices/{noticed.pk}/", {**VALID, "evidence": fake})
    assert response.status_code == 400
    assert "不支持的文件类型" in response.content.decode()
    assert not Objection.objects.exists()


def test_ended_notice_takes_no_objection(client, noticed):
    Case.objects.filter(pk=noticed.pk).update(notice_ends=timezone.now() - timedelta(minutes=1))
    page = client.get(f"/notices/{noticed.pk}/").content.decode()
    assert "公示期已结束，不再受理异议" in page and 'name="reason"' not in page
    response = client.post(f"/notices/{noticed.pk}/", VALID)
    assert response.status_code == 400
    assert "公示期已结束，不再受理异议" in response.content.decode()
    assert not Objection.objects.exists()


def test_notice_form_is_never_cached(client, noticed):
    response = client.get(f"/notices/{noticed.pk}/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
