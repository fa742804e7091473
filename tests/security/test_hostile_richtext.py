"""Rich text keeps only an allow-list of tags and attributes and no javascript:/data: URLs
(security/richtext.py), whichever path wrote it: the admin's Draftail form, a plain model save
(demo, shell, import), or an UPDATE that skips save() (then the page render cleans it).
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from cases.models import Campaign
from security.richtext import clean_rendered, clean_stored
from tests import factories

from .hostile import strings as s

pytestmark = pytest.mark.django_db

LEGIT = (
    '<h2 data-block-key="h1">征集范围</h2><p data-block-key="p1">面向<b>各地区</b>征集<i>典型案例</i>，'
    '详见<a href="https://www.example.cn/notice">通知</a>和<a linktype="page" id="3">说明</a>。</p>'
    '<ul><li data-block-key="l1">数字生活</li></ul><embed alt="海报" embedtype="image" format="left" id="7"/>'
)
HOSTILE_HTML = [
    s.SCRIPT, s.CLOSE_SCRIPT, *s.EVENT_HANDLERS[:3], s.SVG_ONLOAD, s.CSS_EXPRESSION,
    *[f'<a href="{url}">链接</a>' for url in s.JAVASCRIPT_URLS + s.DATA_URLS],
    '<iframe src="https://evil.example/"></iframe>', '<object data="x.swf"></object>',
    '<form action="https://evil.example/"><input name="p"></form>', "<!-- <script>x</script> -->",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<style>body{display:none}</style>",
    '<embed embedtype="media" url="javascript:alert(1)"/>', '<p style="background:url(javascript:alert(1))">x</p>',
    '<a href="#" onclick="alert(1)" target="_blank">x</a>',
]
FORBIDDEN = re.compile(r"<(script|iframe|object|form|input|meta|style|svg|img|div)\b|\bon\w+=|javascript:|vbscript:|data:|"
                       r"expression\(|style=", re.IGNORECASE)


def assert_clean(html: str) -> None:
    match = FORBIDDEN.search(html)
    assert match is None, (match.group(0), html)


@pytest.mark.parametrize("payload", HOSTILE_HTML)
def test_stored_rich_text_loses_every_hostile_construct(payload):
    assert_clean(clean_stored(f"<p>前文</p>{payload}<p>后文</p>"))


@pytest.mark.parametrize("embed", [
    '<embed embedtype="media"/>', '<embed embedtype="image" id="x1" format="left"/>',
    '<embed embedtype="image" id="7"/>', '<embed embedtype="image" id="7" format="huge"/>', '<embed embedtype="x"/>',
])
def test_embeds_wagtail_cannot_expand_are_dropped(embed, client, campaign):
    """Each of these made the page a 500 (Wagtail's handlers look their attributes up as given)."""
    assert "<embed" not in clean_stored(f"<p>a</p>{embed}")
    campaign.call_text = f"<p>征集通知</p>{embed}"
    campaign.save()
    assert client.get(f"/campaigns/{campaign.slug}/").status_code == 200


def test_page_links_keep_only_numeric_ids():
    assert clean_stored('<a linktype="page" id="3 OR 1=1">x</a>') == '<a linktype="page">x</a>'
    assert clean_stored('<a linktype="evil" id="3">x</a>') == '<a id="3">x</a>'


def test_stored_rich_text_keeps_wagtails_own_format():
    cleaned = clean_stored(LEGIT)
    for kept in ('<h2 data-block-key="h1">', "<b>各地区</b>", '<a href="https://www.example.cn/notice">',
                 '<a linktype="page" id="3">', '<li data-block-key="l1">'):
        assert kept in cleaned, kept
    embed = re.search(r"<embed[^>]*/>", cleaned)  # Wagtail only expands the self-closed form
    assert embed and 'embedtype="image"' in embed.group(0) and 'id="7"' in embed.group(0)
    assert clean_stored(cleaned) == cleaned  # idempotent: saving again changes nothing


def test_rendered_rich_text_keeps_links_and_images_only():
    html = clean_rendered('<p>x<a href="/about/">站内</a><img src="/media/a.png" alt="图" onerror="alert(1)">'
                          '<iframe src="https://v.example/"></iframe></p>')
    assert '<a href="/about/" rel="noopener noreferrer">站内</a>' in html
    assert '<img src="/media/a.png" alt="图">' in html and "iframe" not in html and "onerror" not in html


def test_a_campaign_call_saved_in_code_is_cleaned_and_rendered_safely(client, campaign):
    campaign.call_text = "<p>现面向各地区征集典型案例。</p>" + "".join(HOSTILE_HTML)
    campaign.save()
    stored = Campaign.objects.get(pk=campaign.pk).call_text
    assert_clean(stored)
    assert "现面向各地区征集典型案例。" in stored
    html = client.get(f"/campaigns/{campaign.slug}/").content.decode()
    call = html[html.index("现面向各地区征集典型案例。") - 200:]
    assert "<script>alert" not in call and "javascript:" not in call and "onerror" not in call


def test_rich_text_written_around_save_is_cleaned_when_rendered(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(
        call_text='<p>征集</p><script>alert(1)</script><a href="JaVaScRiPt:alert(1)">点我</a><img src=x onerror=alert(1)>'
    )
    html = client.get(f"/campaigns/{campaign.slug}/").content.decode()
    assert "<script>alert(1)" not in html and "JaVaScRiPt:" not in html and "onerror=alert" not in html
    assert "点我" in html


def test_the_admin_form_stores_no_javascript_link(client):
    """Draftail posts content state; a crafted post with a javascript: link is cleaned."""
    from tests.admin.test_campaigns import campaign_data

    state = {
        "blocks": [{"key": "a1", "text": "征集通知 点我", "type": "unstyled", "depth": 0, "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 5, "length": 2, "key": 0}]}],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "jav\tascript:alert(1)"}}},
    }
    client.force_login(factories.secretariat(username="sec-rich"))
    response = client.post(reverse("campaigns:add"), campaign_data(call_text=json.dumps(state)))
    assert response.status_code == 302
    stored = Campaign.objects.get(slug="2027-cases").call_text
    assert "征集通知" in stored and "javascript" not in stored.replace("\t", "") and "ascript:" not in stored


def test_the_admin_form_answers_non_json_rich_text_without_a_500(client):
    from tests.admin.test_campaigns import campaign_data

    client.force_login(factories.secretariat(username="sec-rich"))
    response = client.post(reverse("campaigns:add"), campaign_data(call_text="<p>征集通知</p>" + s.SCRIPT))
    assert response.status_code == 302
    assert Campaign.objects.get(slug="2027-cases").call_text == "<p>征集通知</p>"


def test_a_wagtail_page_body_is_cleaned_on_publish(client):
    from website.models import StandardPage

    page = StandardPage.objects.live().first()
    assert page is not None, "the data migrations create /about/"
    page.body = "<p>关于本站</p>" + "".join(HOSTILE_HTML)
    page.save_revision().publish()
    page.refresh_from_db()
    assert_clean(page.body)
    html = client.get(page.url).content.decode()
    assert "关于本站" in html and "<script>alert" not in html and "javascript:" not in html
