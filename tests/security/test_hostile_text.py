"""Hostile text (issue 8 §3): markup, formulas and Unicode edge cases go in through the API,
the admin form and the import, and come out escaped or neutralised everywhere they are shown:
the public case page and its JSON-LD, the library with highlighted snippets, the admin's list,
edit and inspect pages, e-mails, RSS, CSV, .xlsx and the JSON API.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from cases import workflow
from cases.exports import FORMULA_PREFIXES
from cases.models import Case
from tests import factories
from tests.api.conftest import API, assert_chinese_error, sign_in
from tests.website.conftest import committed

from .hostile import strings as s

pytestmark = pytest.mark.django_db

HOSTILE = {
    "title": s.hostile_title(),
    "summary": "+1+cmd|' /C calc'!A0 " + s.SCRIPT + s.EVENT_HANDLERS[0] + " 银龄课堂 " + s.EMOJI_ZWJ + s.CONTROL,
    "organisation": "@SUM(1+1)" + s.EVENT_HANDLERS[3] + "越秀区",
    "background": s.CLOSE_SCRIPT + s.SVG_ONLOAD + s.CSS_EXPRESSION + " ".join(s.TEMPLATE_INJECTION)
                  + s.FULL_WIDTH + s.ZERO_WIDTH + s.COMBINING + s.CJK_EXT_B + s.RTL_OVERRIDE,
    "approach": " ".join(s.JAVASCRIPT_URLS + s.DATA_URLS) + " 一是建立银龄数字课堂。",
    "lessons": "-2+3+cmd|' /C calc'!A0 以需求为导向。",
}
# What must never appear as markup in an HTML page (their escaped forms do).
RAW_MARKUP = ["<script>alert", "</script><script>", "<img src=x", '<svg xmlns="http://www.w3.org/2000/svg" onload',
              '<div style="width: expression', 'onfocus="alert(1)"', "<body onload", 'href="javascript:',
              "href='javascript:"]


def assert_escaped(html: str, case: Case, fields=("title", "summary", "organisation")) -> None:
    for raw in RAW_MARKUP:
        assert raw not in html, raw
    for name in fields:
        assert escape(getattr(case, name)).replace("\n", "") in html.replace("\n", ""), name


def assert_neutral_cell(value) -> None:
    if isinstance(value, str) and value:
        assert not value.startswith(FORMULA_PREFIXES), value
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", value), value


@pytest.fixture
def published(campaign):
    return committed("published", campaign=campaign, region_code="440100", **HOSTILE)


# --- stored: normalised, not rejected ------------------------------------------------------------

def test_control_characters_are_normalised_when_stored(published):
    assert "\x0b" not in published.summary and "\x07" not in published.summary and "\x1b" not in published.summary
    assert "第一行\n第二行\n第三行响铃[31m红色[0m" in published.summary
    assert published.title == HOSTILE["title"]  # markup and formulas are text: kept as typed
    assert s.CJK_EXT_B in published.background and s.EMOJI_ZWJ in published.summary
    assert s.RTL_OVERRIDE in published.background  # allowed in running text, not in a title


# --- the public site ---------------------------------------------------------------------------

def test_the_case_page_escapes_everything(client, published):
    html = client.get(f"/cases/{published.pk}/").content.decode()
    assert_escaped(html, published, fields=("title", "summary", "organisation", "lessons"))
    assert escape("{{ settings.SECRET_KEY }}") in html and "{% debug %}" in html  # shown, not evaluated
    assert escape(s.FULL_WIDTH) in html


def test_json_ld_cannot_close_its_script_element(client, published):
    html = client.get(f"/cases/{published.pk}/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    assert "<" not in blocks[0] and ">" not in blocks[0]
    assert json.loads(blocks[0])["headline"] == published.title


def test_library_results_and_highlights_are_escaped(client, published):
    html = client.get("/cases/", {"q": "银龄课堂"}).content.decode()
    assert_escaped(html, published, fields=())
    assert "<mark>" in html
    marked = re.findall(r"<(/?)(\w+)", html[html.index("<mark>") - 2000: html.index("<mark>") + 2000])
    assert "script" not in {tag for _close, tag in marked}
    assert escape("<script>alert('t')</script>") in html


def test_a_hostile_query_is_echoed_escaped(client, published):
    for q in (s.SCRIPT, s.EVENT_HANDLERS[3], s.FULL_WIDTH, s.EMOJI_ZWJ, s.CJK_EXT_B, "x" * 500):
        response = client.get("/cases/", {"q": q})
        assert response.status_code in (200, 400)
        html = response.content.decode()
        assert "<script>alert" not in html and 'onfocus="alert(1)"' not in html


def test_rss_is_well_formed_and_its_title_and_description_are_html_escaped(client, published):
    response = client.get("/feeds/cases.xml")
    assert response.status_code == 200
    item = ET.fromstring(response.content).find("channel/item")  # noqa: S314 (our own feed)
    # A reader treats the title and the description as HTML: they must decode to the text, not markup.
    assert "<" in published.title and item.findtext("title") == escape(published.title)
    assert item.findtext("description") == escape(published.summary)


def test_rss_survives_control_characters_written_around_the_model(client, published):
    Case.objects.filter(pk=published.pk).update(title="旧数据\x0b标题", summary="旧数据\x01摘要\x1f")
    response = client.get("/feeds/cases.xml")
    assert response.status_code == 200
    item = ET.fromstring(response.content).find("channel/item")  # noqa: S314 (our own feed)
    assert item.findtext("title") == "旧数据 标题" and item.findtext("description") == "旧数据摘要"


def test_csv_cells_cannot_be_formulas(client, published):
    response = client.get("/cases.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    row = next(r for r in rows[1:] if r[0] == str(published.pk))
    assert row[1] == "'" + published.title and row[2].startswith("'+1+cmd") and row[5].startswith("'@SUM")
    for value in row:
        assert_neutral_cell(value)


# --- the JSON API --------------------------------------------------------------------------------------

def test_the_public_api_returns_the_text_as_json_text(client, published):
    response = client.get(f"{API}/cases/{published.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    body = json.loads(response.content)
    assert body["title"] == published.title and body["summary"] == published.summary


def test_api_search_highlights_are_escaped_html_with_marks_only(client, published):
    response = client.get(f"{API}/cases", {"q": "银龄课堂"})
    assert response.status_code == 200
    hit = next(r for r in response.json()["results"] if r["id"] == published.pk)
    for html in hit["highlight"].values():
        assert set(re.findall(r"</?(\w+)", html)) <= {"mark"}, html
    assert escape("<script>alert('t')</script>") in hit["highlight"]["title"]


def test_the_api_stores_hostile_text_and_returns_it_unchanged(campaign):
    case = factories.case_in("draft", campaign=campaign)
    api = sign_in(factories.submitter("440100", username="sub-440100"))
    for field, value in HOSTILE.items():
        response = api.patch(f"{API}/submissions/{case.pk}", {field: value}, format="json")
        assert response.status_code == 200, (field, response.content)
        assert response.json()[field] == getattr(Case.objects.get(pk=case.pk), field)


def test_title_length_is_counted_in_characters_not_bytes(campaign):
    case = factories.case_in("draft", campaign=campaign)
    api = sign_in(factories.submitter("440100", username="sub-440100"))
    for char in ("𠀀", "字", "👩"):
        title = s.title_at_limit(char)
        assert len(title.encode()) > 60 * 2
        response = api.patch(f"{API}/submissions/{case.pk}", {"title": title}, format="json")
        assert response.status_code == 200 and Case.objects.get(pk=case.pk).title == title
    body = assert_chinese_error(api.patch(f"{API}/submissions/{case.pk}", {"title": "𠀀" * 61}, format="json"), 400)
    assert "不能超过 60 字" in json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize(("field", "value", "words"), [
    ("title", s.RTL_OVERRIDE, "改变文字方向"),
    ("organisation", "越秀\u202d区", "改变文字方向"),
    ("title", "a\x00b", "空字符"),
])
def test_the_api_refuses_what_cannot_be_shown_honestly(campaign, field, value, words):
    case = factories.case_in("draft", campaign=campaign)
    api = sign_in(factories.submitter("440100", username="sub-440100"))
    before = Case.objects.values_list(field, flat=True).get(pk=case.pk)
    body = assert_chinese_error(api.patch(f"{API}/submissions/{case.pk}", {field: value}, format="json"), 400)
    assert words in json.dumps(body, ensure_ascii=False)
    assert Case.objects.values_list(field, flat=True).get(pk=case.pk) == before


def test_a_lone_surrogate_in_json_is_a_400(campaign):
    case = factories.case_in("draft", campaign=campaign)
    api = sign_in(factories.submitter("440100", username="sub-440100"))
    body = '{"summary": ' + s.LONE_SURROGATE_JSON + "}"
    response = api.generic("PATCH", f"{API}/submissions/{case.pk}", body, content_type="application/json")
    assert_chinese_error(response, 400)


# --- the admin -------------------------------------------------------------------------------------

def test_admin_list_inspect_and_edit_escape_everything(client, campaign, published):
    client.force_login(factories.secretariat(username="sec-hostile"))
    for url in (reverse("cases:index") + "?q=" + "银龄", reverse("cases:inspect", args=[published.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), published, fields=("title",))
    draft = factories.case_in("draft", campaign=campaign, region_code="440100", **HOSTILE)
    client.force_login(factories.submitter("440100", username="sub-440100"))
    html = client.get(reverse("cases:edit", args=[draft.pk])).content.decode()
    for raw in RAW_MARKUP:
        assert raw not in html, raw
    assert f'value="{escape(draft.title)}"' in html


def test_the_admin_form_refuses_a_direction_override_with_a_message(client, campaign):
    from tests.admin.helpers import case_form_data

    draft = factories.case_in("draft", campaign=campaign, region_code="440100")
    client.force_login(factories.submitter("440100", username="sub-440100"))
    data = case_form_data(campaign=campaign, region_code="440100", category=campaign.categories.first(),
                          title=s.RTL_OVERRIDE)
    response = client.post(reverse("cases:edit", args=[draft.pk]), data)
    assert response.status_code == 200 and "改变文字方向" in response.content.decode()
    assert Case.objects.get(pk=draft.pk).title != s.RTL_OVERRIDE
    data.update(title=HOSTILE["title"], summary=HOSTILE["summary"])
    assert client.post(reverse("cases:edit", args=[draft.pk]), data).status_code == 302
    stored = Case.objects.get(pk=draft.pk)
    assert stored.title == HOSTILE["title"] and "\x0b" not in stored.summary


# --- e-mail and spreadsheets ------------------------------------------------------------------------

def test_emails_keep_plain_text_and_one_line_subjects(campaign, django_capture_on_commit_callbacks):
    case = factories.case_in("submitted", campaign=campaign, region_code="440100", **HOSTILE)
    rec = factories.recommender("440000", username="rec-hostile")
    mail.outbox.clear()
    reason = "第一行\n" + s.SCRIPT + "\r\nBcc: victim@example.cn"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case=case, name="return_for_revision", by=rec, reason=reason)
    assert mail.outbox, "the submitter is told"
    message = mail.outbox[0]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.bcc == [] and "victim@example.cn" not in message.to
    assert case.title in message.body and s.SCRIPT in message.body  # plain text: not HTML-escaped
    assert "&lt;" not in message.body


def test_the_nomination_sheet_has_no_formula_cells(client, campaign):
    case = factories.case_in("recommended", campaign=campaign, region_code="440100", **HOSTILE)
    client.force_login(factories.recommender("440000", username="rec-hostile"))
    response = client.get(reverse("nomination:sheet", args=[campaign.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    for c in cells:
        assert_neutral_cell(c.value)
    values = [c.value for c in cells]
    assert "'" + case.title in values and "'" + case.organisation in values


# --- import -------------------------------------------------------------------------------------------

def test_the_import_normalises_and_refuses_like_the_api(tmp_path):
    from django.core.management import CommandError, call_command

    from cases.states import CampaignStatus
    from tests.cases.test_import import good_row, write_jsonl

    factories.CampaignFactory(slug="2025-import", year=2025, status=CampaignStatus.FINISHED)
    factories.secretariat(username="sec-import")
    bad = tmp_path / "bad.jsonl"  # escaped JSON (ensure_ascii): a lone surrogate can't be UTF-8
    rows = [good_row(1, title=s.RTL_OVERRIDE), good_row(2, summary="\ud800孤立代理项"), good_row(3)]
    bad.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="ascii")
    with pytest.raises(CommandError):
        call_command("import_cases", str(bad), "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Case.objects.filter(campaign__slug="2025-import").exists()
    good = write_jsonl(tmp_path / "good.jsonl", [good_row(1, title=HOSTILE["title"], summary=HOSTILE["summary"])])
    call_command("import_cases", str(good), "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    case = Case.objects.get(campaign__slug="2025-import")
    assert case.title == HOSTILE["title"] and "\x0b" not in case.summary
