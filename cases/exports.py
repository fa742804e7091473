"""Spreadsheets people stamp and file: cells are plain values, never formulas."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

import audit

from . import extensions, nomination, permissions
from .errors import Forbidden
from .models import Campaign, Case
from .taxonomies import KeyGroup, Scenario, TaskArea, label_of

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# What openpyxl refuses in a cell (and XML 1.0 in general): C0 controls other than \t \n \r.
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value):
    """Text fit for a spreadsheet cell (.xlsx and .csv): control characters dropped, and text that
    starts like a formula, also after leading spaces (" =1+1", "\t=1+1"), gets a quote."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_PREFIXES) or value.lstrip(" \u3000").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def workbook_bytes(title: str, headers: list[str], rows: Iterable[list], *, heading: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    if heading:
        ws.append([safe_cell(heading)])
        ws["A1"].font = Font(bold=True, size=14)
    ws.append(headers)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    for i, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(50, len(header) * 2 + 4))
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def nomination_sheet(*, by, campaign: Campaign) -> bytes:
    """The province's 推荐汇总表: its nominated cases, by category and rank, one row each."""
    if not permissions.can_export_nominations(by):
        raise Forbidden(_("只有推荐单位可以下载本省推荐汇总表。"))
    province = by.region
    cases = (
        Case.objects.filter(campaign=campaign, province=province, status__in=nomination.COUNTED_STATES)
        .select_related("region", "category")
        .order_by("category__sort_order", "nomination_rank")
    )
    headers = [_("征集方向"), _("推荐排序"), _("案例名称"), _("所属地区"), _("申报单位"), _("主要任务"),
               _("应用场景"), _("重点群体"), _("联系人"), _("联系电话"), _("状态")]
    rows = (
        [c.category.title if c.category else "", c.nomination_rank, c.title, c.region.full_name, c.organisation,
         label_of(TaskArea, c.task_area) if c.task_area else "", "、".join(label_of(Scenario, s) for s in c.scenarios),
         "、".join(label_of(KeyGroup, g) for g in c.key_groups), c.contact_name, c.contact_phone,
         c.get_status_display()]
        for c in cases
    )
    audit.record("export", user=by, obj=campaign, details={"export": "nomination_sheet", "province": province.code})
    heading = _("%(province)s推荐汇总表 · %(campaign)s · 导出于 %(at)s") % {
        "province": province.name, "campaign": campaign.title,
        "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    return workbook_bytes(_("推荐汇总表"), headers, rows, heading=heading)


def formal_check_sheet(*, by, cases: list[Case], campaign: Campaign) -> bytes:
    """形式审查清单: the cases awaiting the formal check, with their 查重 figures (docs/similarity.md)."""
    if not permissions.is_staff_role(by):
        raise Forbidden(_("只有组织方可以下载形式审查清单。"))
    reports = extensions.similarity.latest_reports(c.pk for c in cases)

    def figures(case: Case) -> list:
        report = reports.get(case.pk)
        if report is None or report.status != "ready":
            return [_("检测中") if report else _("未检测"), "", "", "", "", "", ""]
        ratios = [report.total_ratio, report.max_single_ratio, report.ratio_excluding_own,
                  report.ratio_excluding_policy, report.ratio_other_units]
        return [*(f"{r * 100:.1f}%" for r in ratios), _("是") if report.flagged else "",
                _("是") if report.same_organisation_flagged else ""]

    headers = [_("案例编号"), _("案例名称"), _("省份"), _("所属地区"), _("申报单位"), _("征集方向"), _("推荐排序"),
               _("总文字复制比"), _("单篇最大文字复制比"), _("去除本单位文字复制比"), _("去除政策引文复制比"),
               _("他单位案例复制比"), _("查重提示"), _("疑似本单位重复申报")]
    rows = (
        [c.pk, c.title, c.province.name, c.region.full_name, c.organisation,
         c.category.title if c.category else "", c.nomination_rank or "", *figures(c)]
        for c in cases
    )
    audit.record("export", user=by, obj=campaign, details={"export": "formal_check_sheet"})
    heading = _("%(campaign)s · 形式审查清单 · 导出于 %(at)s") % {
        "campaign": campaign.title, "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    return workbook_bytes(_("形式审查"), headers, rows, heading=heading)
