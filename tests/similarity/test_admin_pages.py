"""The admin's 查重 pages: the formal-check desk column and sort, its .xlsx, the report page, the
side-by-side page, the PDF and the submitter's 自查 (visibility: tests/security/matrix)."""

from __future__ import annotations

import io

from django.test import Client
from openpyxl import load_workbook

from cases import workflow
from similarity.models import Report
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from . import texts


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def recommended(make_case, fields: dict, **kw):
    case = make_case("submitted", fields, **kw)
    by = factories.recommender(case.province_id, username=f"rec-{case.province_id}")
    return workflow.transition(case=case, name="recommend", by=by)


def test_formal_check_desk_sorts_by_similarity_and_exports_the_figures(make_case, campaign):
    make_case("published", texts.source_fields(), region="330100", organisation="杭州市某街道办事处")
    original = recommended(make_case, texts.ORIGINAL_FIELDS)
    copy = recommended(make_case, texts.disguised_copy_fields(), organisation="越秀区数据局")
    client = signed_in(factories.secretariat(username="secretariat-test"))

    page = client.get(f"/admin/desk/{campaign.pk}/check/?sort=similarity").content.decode()
    assert page.index(copy.title) < page.index(original.title)
    assert "提示" in page and f"/admin/similarity/{copy.pk}/" in page
    unsorted = client.get(f"/admin/desk/{campaign.pk}/check/").content.decode()
    assert unsorted.index(original.title) < unsorted.index(copy.title)  # oldest submission first

    response = client.get(f"/admin/desk/{campaign.pk}/check.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    by_title = {row[1]: dict(zip(header, row, strict=True)) for row in rows[2:]}
    assert by_title[copy.title]["查重提示"] == "是"
    assert float(by_title[copy.title]["总文字复制比"].rstrip("%")) >= 50
    assert float(by_title[original.title]["总文字复制比"].rstrip("%")) < 5
    assert client.get(f"/admin/desk/{campaign.pk}/check.xlsx", HTTP_ACCEPT="*/*").status_code == 200
    recommender = signed_in(factories.recommender("440000", username="rec-440000"))
    assert recommender.get(f"/admin/desk/{campaign.pk}/check.xlsx").status_code == 404


def test_report_page_side_by_side_and_pdf(make_case):
    source = make_case("published", texts.source_fields(), region="330100", organisation="杭州市某街道办事处")
    case = make_case("submitted", texts.disguised_copy_fields())
    client = signed_in(factories.secretariat(username="secretariat-test"))

    page = client.get(f"/admin/similarity/{case.pk}/").content.decode()
    assert source.title in page and "总文字复制比" in page and "已发布" in page
    top = Report.objects.get(case=case).sources.first()
    side = client.get(f"/admin/similarity/{case.pk}/source/{top.pk}/").content.decode()
    assert side.count("<mark") >= 4 and f"/admin/cases/inspect/{source.pk}/" in side
    # The reworded sentence is in the copy but not highlighted; a kept one is.
    assert texts.PARAGRAPHS[3][0][:12] in side
    pdf = client.get(f"/admin/similarity/{case.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert b"NotoSansSC" in pdf.content  # the Chinese font is embedded


def test_recommender_side_by_side_hides_another_provinces_unpublished_source(make_case):
    hidden = make_case("submitted", texts.source_fields(), region="330100", organisation="杭州市某街道办事处")
    case = make_case("submitted", texts.disguised_copy_fields())
    client = signed_in(factories.recommender("440000", username="rec-440000"))

    top = Report.objects.get(case=case).sources.first()
    assert top.case_id == hidden.pk
    for path in (f"/admin/similarity/{case.pk}/", f"/admin/similarity/{case.pk}/source/{top.pk}/"):
        page = client.get(path).content.decode()
        assert "其他省份未公开案例" in page and hidden.title not in page
        assert texts.PARAGRAPHS[0][0] not in page or path.endswith(f"{case.pk}/")
    pdf = client.get(f"/admin/similarity/{case.pk}/report.pdf")
    assert pdf.status_code == 200


def test_submitter_self_checks_its_draft(make_case):
    make_case("published", texts.source_fields(), region="330100", organisation="杭州市某街道办事处")
    draft = make_case("draft", texts.disguised_copy_fields())
    client = signed_in(factories.submitter("440100", username="sub-440100"))

    assert "自查" in client.get(f"/admin/cases/inspect/{draft.pk}/").content.decode()
    result = client.post(f"/admin/similarity/{draft.pk}/self-check/").content.decode()
    assert texts.SOURCE_TITLE in result and "<mark" in result
    assert not Report.objects.filter(case=draft).exists()


def test_the_recommender_sees_the_figures_on_its_nomination_page(make_case, campaign):
    make_case("published", texts.source_fields(), region="330100", organisation="杭州市某街道办事处")
    copy = make_case("submitted", texts.disguised_copy_fields())
    client = signed_in(factories.recommender("440000", username="rec-440000"))

    page = client.get(f"/admin/nomination/{campaign.pk}/{copy.category_id}/").content.decode()
    assert f"/admin/similarity/{copy.pk}/" in page and "提示" in page
