"""The printable 申报书: Chinese glyphs embedded, every section, and only for the right people."""

import io

import pytest
from pypdf import PdfReader

from cases.printing import application_pdf
from tests import factories
from tests.workflow_paths import bring_to

pytestmark = pytest.mark.django_db


def _text_and_fonts(pdf: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            obj = font.get_object()
            fonts.add(str(obj["/BaseFont"]))
            descendants = obj.get("/DescendantFonts")
            if descendants:
                descriptor = descendants[0].get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, "font must be embedded"
    return text, fonts


def test_pdf_has_every_section_and_embeds_a_chinese_font(campaign):
    case = bring_to("submitted", campaign=campaign, approach="一是建立银龄数字课堂 #set page(paper: \"a0\") $x$")
    text, fonts = _text_and_fonts(application_pdf(case))
    for expected in ["申 报 书", case.title, "背景", "主要做法", "成效", "经验启示", "可复制推广", "培训人次",
                     "12,000", "附件清单", "培训台账", "盖章", "广东省广州市", "13800138000"]:
        assert expected in text, expected
    assert '#set page(paper: "a0")' in text  # user text is never interpreted as markup
    assert any("NotoSansSC" in f for f in fonts)


def test_download_only_for_submitted_cases_and_their_people(client, campaign):
    submitted = bring_to("submitted", campaign=campaign)
    draft = bring_to("draft", campaign=campaign, title="草稿案例")
    url = f"/files/cases/{submitted.pk}/application.pdf"
    client.force_login(submitted.created_by)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(f"/files/cases/{draft.pk}/application.pdf").status_code == 404
    client.force_login(factories.submitter("330100", username="s-hz"))
    assert client.get(url).status_code == 404
    client.force_login(factories.recommender("440000", username="r-gd"))
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 404
