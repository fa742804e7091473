"""Administrative divisions (GB/T 2260), shipped in regions/data/regions.csv.

The table keeps the name it had when the model lived in `cases` (cases_region): the move was a
change of the model's home only, no row was copied (regions/migrations/0001_initial.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    PREFECTURE = "prefecture", _("地级")
    COUNTY = "county", _("县级")


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("省")
    AUTONOMOUS_REGION = "autonomous_region", _("自治区")
    MUNICIPALITY = "municipality", _("直辖市")
    SAR = "sar", _("特别行政区")
    CITY = "city", _("地级市")
    PREFECTURE = "prefecture", _("地区")
    AUTONOMOUS_PREFECTURE = "autonomous_prefecture", _("自治州")
    LEAGUE = "league", _("盟")
    GROUPING = "grouping", _("统计分组（市辖区/省直辖县级行政区划）")
    COUNTY = "county", _("县级行政区")


class Region(models.Model):
    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("级别"), max_length=12, choices=RegionLevel.choices, db_index=True)
    kind = models.CharField(_("类型"), max_length=24, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Denormalised: every region knows its province (a province is its own).
    province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "cases_region"
        ordering = ["code"]
        verbose_name = _("地区")
        verbose_name_plural = _("地区")

    def __str__(self) -> str:
        return self.name

    @property
    def is_grouping(self) -> bool:
        """Grouping codes (市辖区, 省直辖县级行政区划) are statistical, not real prefectures."""
        return self.kind == RegionKind.GROUPING

    @property
    def full_name(self) -> str:
        if self.level == RegionLevel.PROVINCE or self.province_id is None:
            return self.name
        if self.is_grouping:
            return self.province.name
        return f"{self.province.name}{self.name}"

    @property
    def province_code(self) -> str:
        """The province's code: the denormalised `province` (a province's own code when unset)."""
        return self.province_id or self.code

    @property
    def prefecture_id(self) -> str | None:
        """The prefecture-level ancestor's code (itself at prefecture level)."""
        if self.level == RegionLevel.PREFECTURE:
            return self.code
        if self.level == RegionLevel.COUNTY:
            return self.parent_id
        return None
