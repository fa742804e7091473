"""The statistics page (/stats/): counts of published cases and adoptions, drawn as inline SVG.

Only published cases are counted (docs/domain.md §3), and only adoptions that are not hidden, of
published cases. Every chart is computed here from the data (no JavaScript, no CDN) and comes
with a table of the same numbers; bars carry their value as text, and series are told apart
by pattern as well as colour. A fixed number of queries (3), whatever the number of cases.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.models import Adoption, Case, CaseIndicator
from cases.permissions import PUBLIC_STATES
from cases.taxonomies import KeyGroup, Scenario, TaskArea

# Chart geometry, in SVG user units: each row is a label line above its bar, so the chart stays
# legible when the SVG shrinks to a phone's width (it scales with the page, up to 28rem wide).
WIDTH = 400
VALUE_W = 56
LABEL_H = 18
BAR_H = 16
ROW_H = 44
TOP = 4
LEGEND_H = 30
# Fills of the series of a stacked chart, in order: solid, then patterns (never colour alone).
PATTERNS = ("solid", "hatch", "dots", "cross")
# Indicator units whose values can't be added up across cases (rates, shares).
NON_ADDITIVE_UNITS = ("%", "％", "‰", "百分点", "个百分点")


@dataclass
class Bar:
    label: str
    value: int
    url: str = ""
    parts: list[int] = field(default_factory=list)  # one value per series (stacked charts)
    extra: list[int] = field(default_factory=list)  # more columns of the table


@dataclass
class Chart:
    """A horizontal bar chart and the table that says the same; `series` makes it stacked."""

    key: str
    title: str
    description: str
    label_heading: str
    value_heading: str
    bars: list[Bar]
    series: list[str] = field(default_factory=list)
    extra_headings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(b.value for b in self.bars)

    @property
    def height(self) -> int:
        return TOP + ROW_H * len(self.bars) + (LEGEND_H if self.series else 0)

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def axis_x(self) -> int:
        return 1

    @property
    def axis_end(self) -> int:
        return TOP + ROW_H * len(self.bars)

    @property
    def summary(self) -> str:
        """The chart in one sentence, for its text alternative."""
        if not self.bars:
            return _("暂无数据。")
        top = max(self.bars, key=lambda b: b.value)
        return _("共 %(n)d 项，合计 %(total)s；最多的是“%(label)s”，%(value)s。") % {
            "n": len(self.bars), "total": f"{self.total:,}", "label": top.label, "value": f"{top.value:,}",
        }

    @property
    def scale(self) -> float:
        top = max((b.value for b in self.bars), default=0)
        return (WIDTH - VALUE_W - 2) / top if top else 0

    @property
    def legend(self) -> list[dict]:
        y = TOP + ROW_H * len(self.bars) + 8
        out, x = [], 2
        for i, name in enumerate(self.series):
            out.append({"name": name, "pattern": PATTERNS[i % len(PATTERNS)], "x": x, "y": y, "text_x": x + 22,
                        "text_y": y + 13})
            x += 22 + 15 * len(name) + 20
        return out

    @property
    def rows(self) -> list[dict]:
        """Each bar's geometry: the label line, its segments (one per series) and the value text."""
        out = []
        for i, bar in enumerate(self.bars):
            y = TOP + i * ROW_H
            bar_y = y + LABEL_H + 4
            segments, x = [], 2.0  # the bars start at the axis (x = 1)
            parts = bar.parts if self.series else [bar.value]
            for j, part in enumerate(parts):
                w = part * self.scale
                if w > 0:
                    segments.append({"x": round(x, 1), "w": round(max(w, 1.0), 1),
                                     "pattern": PATTERNS[j % len(PATTERNS)], "value": part,
                                     "series": self.series[j] if self.series else ""})
                x += w
            out.append({
                "bar": bar, "label_x": 2, "label_y": y + LABEL_H - 3, "bar_y": bar_y,
                "value_x": round(x + 6, 1), "value_y": bar_y + BAR_H - 3,
                "segments": segments,
            })
        return out


@dataclass
class IndicatorTotal:
    name: str
    unit: str
    total: Decimal
    cases: int


@dataclass
class Stats:
    cases: int
    provinces: int
    adoptions: int
    adopting_regions: int
    charts: list[Chart]
    indicators: list[IndicatorTotal]
    adoption_chart: Chart
    latest: datetime | None = None


def _library(**params) -> str:
    return reverse("website:library") + "?" + urlencode(params)


def _taxonomy_chart(key, title, description, heading, choices, counts: Counter, param: str) -> Chart:
    bars = [Bar(str(label), counts.get(code, 0), _library(**{param: code})) for code, label in choices.choices]
    bars.sort(key=lambda b: -b.value)
    return Chart(key, title, description, heading, _("案例数"), bars)


def _case_charts() -> tuple[int, int, datetime | None, list[Chart]]:
    """Published cases by province, scenario, task area, key group and year (1 query)."""
    rows = list(
        Case.objects.filter(status__in=PUBLIC_STATES).values_list(
            "province_id", "province__name", "scenarios", "task_area", "key_groups", "campaign__year",
            "tier__title", "tier__sort_order", "published_at",
        )
    )
    provinces: Counter = Counter()
    names: dict[str, str] = {}
    scenarios: Counter = Counter()
    tasks: Counter = Counter()
    groups: Counter = Counter()
    years: dict[int, Counter] = defaultdict(Counter)
    tier_order: dict[str, int] = {}
    for province, name, scenario_codes, task, group_codes, year, tier, tier_sort, _published in rows:
        provinces[province] += 1
        names[province] = name
        scenarios.update(set(scenario_codes or []))
        groups.update(set(group_codes or []))
        if task:
            tasks[task] += 1
        tier = tier or _("未定等级")
        order = tier_sort if tier_sort is not None else 10_000
        tier_order[tier] = min(order, tier_order.get(tier, order))
        years[year][tier] += 1
    tiers = sorted(tier_order, key=lambda t: (tier_order[t], t))

    by_province = Chart(
        "province", _("各省份发布的典型案例"), _("按案例所属省份统计已发布的典型案例数，从多到少排列。"),
        _("省份"), _("案例数"),
        [Bar(names[code], n, _library(province=code)) for code, n in sorted(provinces.items(), key=lambda i: (-i[1], i[0]))],
    )
    by_year = Chart(
        "year", _("各年度发布的典型案例"), _("按征集活动年度统计已发布的典型案例数，并按入选等级分段。"),
        _("年度"), _("案例数"),
        [
            Bar(str(year), sum(years[year].values()), _library(year=year), [years[year].get(t, 0) for t in tiers])
            for year in sorted(years, reverse=True)
        ],
        series=tiers,
    )
    charts = [
        by_province,
        _taxonomy_chart("scenario", _("各应用场景的典型案例"), _("一个案例可涉及多个应用场景，故各项之和可能大于案例总数。"),
                        _("应用场景"), Scenario, scenarios, "scenario"),
        _taxonomy_chart("task", _("各主要任务的典型案例"), _("按《提升全民数字素养与技能行动纲要》的七项主要任务统计。"),
                        _("主要任务"), TaskArea, tasks, "task"),
        _taxonomy_chart("group", _("各重点群体的典型案例"), _("一个案例可面向多个重点群体，故各项之和可能大于案例总数。"),
                        _("重点群体"), KeyGroup, groups, "group"),
        by_year,
    ]
    latest = max((r[-1] for r in rows if r[-1] is not None), default=None)
    return len(rows), len(provinces), latest, charts


def indicator_totals(limit: int = 12) -> list[IndicatorTotal]:
    """Sums of indicators with the same name and unit (e.g. 培训人次, 人次), the most reported first (1 query)."""
    rows = (
        CaseIndicator.objects.filter(case__status__in=PUBLIC_STATES)
        .exclude(unit__in=NON_ADDITIVE_UNITS)
        .values("name", "unit")
        .annotate(total=Sum("value"), cases=Count("case", distinct=True))
        .order_by("-cases", "-total", "name", "unit")[:limit]
    )
    return [IndicatorTotal(r["name"], r["unit"], r["total"], r["cases"]) for r in rows]


def _adoptions() -> tuple[int, int, Chart]:
    """Visible adoption reports of published cases, by the adopting region's province (1 query)."""
    rows = list(
        Adoption.objects.filter(hidden=False, case__status__in=PUBLIC_STATES)
        .values("region__province_id", "region__province__name")
        .annotate(reports=Count("id"), cases=Count("case", distinct=True), regions=Count("region", distinct=True))
        .order_by("-reports", "region__province_id")
    )
    chart = Chart(
        "adoptions", _("各省份借鉴推广典型案例的情况"),
        _("按借鉴地区所属省份统计借鉴推广报告数（不含已隐藏的报告）。"),
        _("借鉴省份"), _("借鉴报告数"),
        [Bar(r["region__province__name"] or "—", r["reports"], extra=[r["cases"], r["regions"]]) for r in rows],
        extra_headings=[_("被借鉴的案例数"), _("借鉴地区数")],
    )
    reports = sum(r["reports"] for r in rows)
    regions = sum(r["regions"] for r in rows)
    return reports, regions, chart


def collect() -> Stats:
    """Everything /stats/ shows (3 queries)."""
    cases, provinces, latest, charts = _case_charts()
    reports, regions, adoption_chart = _adoptions()
    return Stats(
        cases=cases, provinces=provinces, adoptions=reports, adopting_regions=regions, latest=latest,
        charts=charts, indicators=indicator_totals(), adoption_chart=adoption_chart,
    )
