"""A campaign (征集活动): its call, window, quotas, rubric, tiers and notice (docs/domain.md §5)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from ..states import CampaignStatus

code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,31}$", _("代码只能包含小写字母、数字和下划线，并以字母开头。")
)


class Aggregation(models.TextChoices):
    MEAN = "mean", _("算术平均")
    TRIMMED_MEAN = "trimmed_mean", _("去掉一个最高分和一个最低分后平均")
    NORMALISED = "normalised", _("按评审专家标准化（标准分）")


class Campaign(ClusterableModel):
    title = models.CharField(_("活动名称"), max_length=120)
    slug = models.SlugField(_("标识"), max_length=80, unique=True, help_text=_("用于网址和接口，如 2026-digital-literacy。"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    batch = models.PositiveSmallIntegerField(_("批次"), default=1)
    call_text = RichTextField(_("征集通知"), blank=True)
    status = models.CharField(_("活动状态"), max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    submission_opens = models.DateTimeField(_("申报开始时间"))
    submission_closes = models.DateTimeField(_("申报截止时间"), help_text=_("服务器按此时间拒绝逾期提交。"))
    time_zone = models.CharField(_("时区"), max_length=40, default="Asia/Shanghai")
    nomination_required = models.BooleanField(_("需要省级推荐"), default=True)
    default_quota = models.PositiveSmallIntegerField(
        _("每省每个征集方向的推荐名额（默认）"), default=3, validators=[MinValueValidator(1)]
    )
    reviewers_per_case = models.PositiveSmallIntegerField(
        _("每个案例的评审专家人数"), default=5, validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    aggregation = models.CharField(_("计分方法"), max_length=16, choices=Aggregation.choices, default=Aggregation.TRIMMED_MEAN)
    conflict_same_province = models.BooleanField(_("回避：同省专家不评本省案例"), default=True)
    conflict_same_organisation = models.BooleanField(_("回避：专家不评本单位案例"), default=True)
    hide_organisation_from_reviewers = models.BooleanField(_("对评审专家隐去申报单位"), default=False)
    share_comments_with_submitters = models.BooleanField(_("评审意见（匿名）反馈申报单位"), default=False)
    review_deadline = models.DateTimeField(_("评审截止时间"), null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(
        _("公示天数"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    # 查重 (docs/similarity.md): a run this long counts as copied; a report is flagged at this share.
    similarity_min_run = models.PositiveSmallIntegerField(
        _("查重：最短匹配字数"), default=13, validators=[MinValueValidator(8), MaxValueValidator(50)],
        help_text=_("连续这么多字（忽略标点、空格、全半角和繁简差异）相同即计为复制，通常为 13。"),
    )
    similarity_threshold = models.PositiveSmallIntegerField(
        _("查重：提示阈值（%）"), default=30, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("去除政策引文和本单位案例后，复制比达到此值的案例在形式审查中标出。"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-batch", "title"]
        verbose_name = _("征集活动")
        verbose_name_plural = _("征集活动")

    def __str__(self) -> str:
        return self.title

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def clean(self) -> None:
        super().clean()
        try:
            ZoneInfo(self.time_zone)
        except (ValueError, KeyError) as exc:
            raise ValidationError({"time_zone": _("未知的时区。")}) from exc
        if self.submission_opens and self.submission_closes and self.submission_closes <= self.submission_opens:
            raise ValidationError({"submission_closes": _("申报截止时间必须晚于开始时间。")})

    def quota_for(self, province_code: str, category_code: str) -> int:
        """The nomination quota of one province in one category: the most specific rule wins."""
        overrides = {(o.province_id, o.category_code): o.quota for o in self.quota_overrides.all()}
        for key in ((province_code, category_code), (province_code, "")):
            if key in overrides:
                return overrides[key]
        category = next((c for c in self.categories.all() if c.code == category_code), None)
        if category is not None and category.quota is not None:
            return category.quota
        return self.default_quota

    @property
    def rubric_total(self) -> int:
        return sum(c.max_score for c in self.rubric.all())


class CampaignCategory(Orderable):
    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("代码"), max_length=32, validators=[code_validator])
    title = models.CharField(_("征集方向"), max_length=60)
    description = models.TextField(_("说明"), blank=True, max_length=500)
    quota = models.PositiveSmallIntegerField(
        _("该方向每省推荐名额"), null=True, blank=True, help_text=_("留空则使用活动的默认名额。")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("征集方向")
        verbose_name_plural = _("征集方向")
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="unique_category_code")]

    def __str__(self) -> str:
        return self.title


class QuotaOverride(models.Model):
    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="quota_overrides")
    province = models.ForeignKey(
        "regions.Region", verbose_name=_("省份"), on_delete=models.PROTECT,
        limit_choices_to={"level": "province"}, related_name="+",
    )
    category_code = models.CharField(
        _("征集方向代码"), max_length=32, blank=True, help_text=_("留空表示适用于所有征集方向。")
    )
    quota = models.PositiveSmallIntegerField(_("推荐名额"))

    class Meta:
        verbose_name = _("推荐名额调整")
        verbose_name_plural = _("推荐名额调整")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "province", "category_code"], name="unique_quota_override")
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.category_code or '*'}: {self.quota}"


class RubricCriterion(Orderable):
    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="rubric")
    code = models.CharField(_("代码"), max_length=32, validators=[code_validator])
    name = models.CharField(_("评分项"), max_length=40)
    description = models.TextField(_("评分说明"), blank=True, max_length=500)
    max_score = models.PositiveSmallIntegerField(
        _("满分（权重）"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta(Orderable.Meta):
        verbose_name = _("评分项")
        verbose_name_plural = _("评分标准")
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="unique_criterion_code")]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_score}）"


class Tier(Orderable):
    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="tiers")
    code = models.CharField(_("代码"), max_length=32, validators=[code_validator])
    title = models.CharField(_("入选等级"), max_length=30)
    quota = models.PositiveSmallIntegerField(_("名额"), validators=[MinValueValidator(1)])

    class Meta(Orderable.Meta):
        verbose_name = _("入选等级")
        verbose_name_plural = _("入选等级")
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="unique_tier_code")]

    def __str__(self) -> str:
        return self.title
