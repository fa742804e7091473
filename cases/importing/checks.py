"""Checking every row of an import before anything is written (all or nothing).

Each problem names its row and field in Chinese. Field rules come from the Case model
(`full_clean`) and `editing.parse_indicators`, so an import accepts exactly what the model
accepts; this module adds the import's own rules (campaign finished, tier, duplicates).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import case_fields, editing
from ..models import Campaign, CampaignCategory, Case, Region, Tier
from ..states import CampaignStatus
from . import values
from .readers import RawRow, Table

# The case's columns (cases/case_fields.py); the category is read with the campaign, below.
_CONTENT = tuple(f for f in case_fields.FIELDS if f.name != "category" and f.group != case_fields.Group.FILES)
TEXT_FIELDS = case_fields.names(f for f in _CONTENT if f.lines)
CASE_FIELDS = case_fields.names(_CONTENT)
COLUMNS = (*CASE_FIELDS, "campaign", "category", "tier", "published_at", "source")
# A published case must be readable in the library: the body is required; contact details,
# the period, the special project and indicators may be missing from past results.
REQUIRED = (*case_fields.names(f for f in _CONTENT if f.publish), "campaign", "tier", "published_at")
SINGLE_CODES = {f.name: (f.codes, f.label) for f in _CONTENT if f.codes and not f.many_codes}
MULTI_CODES = {f.name: (f.codes, f.label) for f in _CONTENT if f.codes and f.many_codes}
SOURCE_MAX = 200
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Problem:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = _("第 %(row)d 行") % {"row": self.row}
        return f"{where} {self.field}：{self.message}" if self.field else f"{where}：{self.message}"


@dataclass
class ValidRow:
    """Everything `workflow.import_published` needs for one row."""

    number: int
    campaign: Campaign
    tier: Tier
    source: str
    published_at: datetime
    fields: dict[str, Any] = field(default_factory=dict)


class Lookups:
    """Regions, campaigns and existing titles, each loaded once: queries don't grow with rows."""

    def __init__(self) -> None:
        self.regions: dict[str, Region] = {r.code: r for r in Region.objects.all()}
        self._campaigns: dict[str, Campaign | None] = {}
        self._titles: dict[int, set[tuple[str, str]]] = {}
        self.categories: dict[int, dict[str, CampaignCategory]] = {}
        self.tiers: dict[int, dict[str, Tier]] = {}

    def campaign(self, slug: str) -> Campaign | None:
        if slug not in self._campaigns:
            campaign = Campaign.objects.filter(slug=slug).first()
            self._campaigns[slug] = campaign
            if campaign is not None:
                self.categories[campaign.pk] = {c.code: c for c in campaign.categories.all()}
                self.tiers[campaign.pk] = {t.code: t for t in campaign.tiers.all()}
        return self._campaigns[slug]

    def existing_titles(self, campaign: Campaign) -> set[tuple[str, str]]:
        if campaign.pk not in self._titles:
            self._titles[campaign.pk] = set(
                Case.objects.filter(campaign=campaign).values_list("region_id", "title")
            )
        return self._titles[campaign.pk]


class RowChecker:
    """Checks rows one by one, remembering titles already seen in the file."""

    def __init__(self, *, default_source: str, lookups: Lookups | None = None, now: datetime | None = None):
        self.default_source = default_source
        self.lookups = lookups or Lookups()
        self.now = now or timezone.now()
        self.seen: dict[tuple[int, str, str], int] = {}

    def header_problems(self, table: Table) -> list[Problem]:
        if table.columns is None:
            return []
        problems = [Problem(1, name, msg) for name, msg in table.header_problems]
        problems += [Problem(1, name, _("未知的列名。")) for name in table.columns if name not in COLUMNS]
        problems += [
            Problem(1, name, _("缺少必填列。")) for name in REQUIRED if name not in table.columns
        ]
        return problems

    def check(self, raw: RawRow, columns: list[str] | None = None) -> tuple[ValidRow | None, list[Problem]]:
        if raw.error:
            return None, [Problem(raw.number, *raw.error)]
        problems: list[Problem] = []

        def add(name: str, message: str) -> None:
            problems.append(Problem(raw.number, name, message))

        data = raw.data
        if columns is None:
            for key in data:
                if key not in COLUMNS:
                    add(str(key), _("未知的字段名。"))
        header_missing = set(REQUIRED) - set(columns) if columns is not None else set()
        for name in REQUIRED:
            if name not in header_missing and values.is_blank(data.get(name)):
                add(name, _("必填。"))
        failed = {p.field for p in problems}

        parsed: dict[str, Any] = {}

        def attempt(name: str, parse) -> None:
            if name in failed or values.is_blank(data.get(name)):
                return
            try:
                parsed[name] = parse(data.get(name))
            except ValueError as exc:
                add(name, str(exc))
                failed.add(name)

        for name in TEXT_FIELDS:
            attempt(name, values.text)
        for name, (choices, what) in SINGLE_CODES.items():
            attempt(name, lambda v, c=choices, w=what: values.parse_code(v, c, w))
        for name, (choices, what) in MULTI_CODES.items():
            attempt(name, lambda v, c=choices, w=what: values.parse_codes(v, c, w))
        attempt("period_start", values.parse_date)
        attempt("period_end", values.parse_date)
        attempt("indicators", values.parse_indicator_rows)
        attempt("region", values.text)
        attempt("campaign", values.text)
        attempt("category", values.text)
        attempt("tier", values.text)
        attempt("source", values.text)

        region = self._region(parsed.pop("region", None), add)
        campaign = self._campaign(parsed.pop("campaign", None), add)
        category = tier = None
        if campaign is not None:
            category = self._category(campaign, parsed.pop("category", None), add)
            tier = self._tier(campaign, parsed.pop("tier", None), add)
        tz = campaign.tzinfo if campaign is not None else SHANGHAI
        attempt("published_at", lambda v: values.parse_datetime(v, tz))
        published_at = parsed.pop("published_at", None)
        if published_at is not None and published_at > self.now:
            add("published_at", _("发布时间不能晚于当前时间。"))
        source = parsed.pop("source", "") or self.default_source
        if len(source) > SOURCE_MAX:
            add("source", _("导入来源不能超过 %(n)d 字。") % {"n": SOURCE_MAX})

        indicator_rows = parsed.pop("indicators", None) or []
        if "indicators" not in failed and indicator_rows:
            try:
                editing.parse_indicators(indicator_rows)
            except ValidationError as exc:
                for message in exc.message_dict.get("indicators", exc.messages):
                    add("indicators", message)
        start, end = parsed.get("period_start"), parsed.get("period_end")
        if start and end and end < start:
            add("period_end", _("结束日期不能早于开始日期。"))

        if region is not None and campaign is not None:
            self._model_problems(parsed, campaign, region, category, tier, {p.field for p in problems}, add)
            self._duplicate(campaign, region, parsed.get("title", ""), raw.number, add)

        if problems:
            return None, problems
        return ValidRow(
            number=raw.number, campaign=campaign, tier=tier, source=source, published_at=published_at,
            fields={**parsed, "region": region, "category": category, "indicators": indicator_rows},
        ), []

    # --- references -------------------------------------------------------------------

    def _region(self, code: str | None, add) -> Region | None:
        if code is None:
            return None
        region = self.lookups.regions.get(code)
        if region is None:
            add("region", _("未知的地区代码 %(code)s") % {"code": code})
        elif region.is_grouping:
            add("region", _("%(code)s（%(name)s）是统计分组，不是行政区划，请填写省级、地级或县级代码。")
                % {"code": code, "name": region.name})
        else:
            return region
        return None

    def _campaign(self, slug: str | None, add) -> Campaign | None:
        if slug is None:
            return None
        campaign = self.lookups.campaign(slug)
        if campaign is None:
            add("campaign", _("未知的征集活动 %(slug)s") % {"slug": slug})
            return None
        if campaign.status != CampaignStatus.FINISHED:
            add("campaign", _("征集活动“%(title)s”尚未结束（当前：%(status)s），只能向已结束的活动导入入选案例。")
                % {"title": campaign.title, "status": campaign.get_status_display()})
            return None
        return campaign

    def _category(self, campaign: Campaign, code: str | None, add) -> CampaignCategory | None:
        categories = self.lookups.categories[campaign.pk]
        if code is None:
            if categories:
                add("category", _("必填：请填写该活动的征集方向代码（%(codes)s）。") % {"codes": "、".join(categories)})
            return None
        if code not in categories:
            add("category", _("活动“%(title)s”没有征集方向 %(code)s（可选：%(codes)s）。")
                % {"title": campaign.title, "code": code, "codes": "、".join(categories) or "无"})
            return None
        return categories[code]

    def _tier(self, campaign: Campaign, code: str | None, add) -> Tier | None:
        if code is None:
            return None
        tiers = self.lookups.tiers[campaign.pk]
        if code not in tiers:
            add("tier", _("活动“%(title)s”没有入选等级 %(code)s（可选：%(codes)s）。")
                % {"title": campaign.title, "code": code, "codes": "、".join(tiers) or "无"})
            return None
        return tiers[code]

    # --- model rules and duplicates ------------------------------------------------------

    def _model_problems(self, parsed, campaign, region, category, tier, flagged: set[str], add) -> None:
        """Lengths, phone and e-mail formats and codes, exactly as the Case model checks them."""
        case = Case(campaign=campaign, region=region, category=category, tier=tier,
                    **{k: v for k, v in parsed.items() if k not in flagged})
        exclude = {*flagged, "campaign", "category", "region", "tier"}
        try:
            case.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                # A CharField's own max_length check repeats ours in other words: keep the first.
                add("" if name == "__all__" else name, messages[0])

    def _duplicate(self, campaign: Campaign, region: Region, title: str, number: int, add) -> None:
        if not title:
            return
        key = (campaign.pk, region.code, title)
        if key in self.seen:
            add("title", _("与第 %(row)d 行重复：同一活动、同一地区的案例名称不能相同。") % {"row": self.seen[key]})
            return
        self.seen[key] = number
        if (region.code, title) in self.lookups.existing_titles(campaign):
            add("title", _("活动“%(campaign)s”中%(region)s已有同名案例“%(title)s”。")
                % {"campaign": campaign.title, "region": region.name, "title": title})
