"""The one-page 查重 report (PDF), printed with Typst and the embedded Noto Sans SC font, like the
申报书 (cases/printing.py): the figures, the sources and the main passages, as the viewer may
see them (hidden sources stay "其他省份未公开案例")."""

from __future__ import annotations

import json
from pathlib import Path

import typst
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.printing import FONT_DIR

TEMPLATE = Path(__file__).resolve().parent / "print" / "report.typ"
MAX_SOURCES, MAX_PASSAGES, PASSAGE_CHARS = 10, 6, 70


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def report_data(*, case, view: dict) -> dict:
    figures = [
        (_("总文字复制比"), percent(view["total_ratio"])),
        (_("单篇最大文字复制比"), percent(view["max_single_ratio"])),
        (_("去除本单位文字复制比"), percent(view["ratio_excluding_own"])),
        (_("去除政策引文复制比"), percent(view["ratio_excluding_policy"])),
        (_("他单位案例复制比"), percent(view["ratio_other_units"])),
    ]
    if view["flagged"]:
        verdict = _("提示：他单位案例复制比达到 %(t)s，请核查。") % {"t": percent(view["threshold"])}
    else:
        verdict = _("未达到提示阈值 %(t)s。") % {"t": percent(view["threshold"])}
    if view["same_organisation_flagged"]:
        verdict += _("与本单位已有案例高度重合，疑似重复申报。")
    sources = [
        {"n": str(i), "title": s["title"] + (_("（本单位）") if s["same_organisation"] else ""),
         "kind": _("政策文本") if s["kind"] == "policy" else _("案例"),
         "status": s["status_label"] or "—", "ratio": percent(s["ratio"])}
        for i, s in enumerate(view["sources"][:MAX_SOURCES], start=1)
    ]
    passages = []
    for source in view["sources"][:3]:
        for passage in sorted(source["passages"], key=lambda p: p["start"] - p["end"])[:2]:
            text = passage["text"].replace("\n", " ")
            passages.append({"source": source["title"][:20],
                             "text": text if len(text) <= PASSAGE_CHARS else text[:PASSAGE_CHARS] + "……"})
    checked = timezone.localtime(view["checked_at"]).strftime("%Y-%m-%d %H:%M") if view["checked_at"] else "—"
    return {
        "campaign": case.campaign.title, "title": case.title,
        "meta": _("案例编号 %(id)s · 第 %(v)s 次提交 · 检测时间 %(at)s · 连续 %(m)s 字相同计为复制（忽略标点、空格、全半角和繁简差异）")
        % {"id": case.pk, "v": view["version"], "at": checked, "m": view["min_run"]},
        "figures": figures, "verdict": verdict, "sources": sources,
        "more": max(0, len(view["sources"]) - MAX_SOURCES), "passages": passages[:MAX_PASSAGES],
        "footer": _("典型案例库 · 查重报告 · 生成于 %(at)s · 比例按去除标点空格后的字数计算")
        % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    }


def report_pdf(*, case, view: dict) -> bytes:
    data = report_data(case=case, view=view)
    return typst.compile(
        TEMPLATE.read_bytes(), font_paths=[str(FONT_DIR)], ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )
