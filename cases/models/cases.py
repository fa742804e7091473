"""A case (申报书, docs/domain.md §6): its fields, indicators, images, attachments and links.

The state lives in a protected FSM field on this plain model (not a Wagtail page), so only
`cases/workflow.py` moves it and no revision can restore an old state.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from ..fields import MultiChoiceField
from ..states import EDITABLE_STATES, CaseStatus
from ..taxonomies import KeyGroup, OrganisationType, Scenario, SpecialProject, TaskArea
from .lifecycle import CaseLifecycle

# Length limits in characters (字), shown to users by the admin's counters.
LIMITS = {
    "title": 60,
    "summary": 300,
    "organisation": 100,
    "background": 1500,
    "approach": 4000,
    "outcomes": 2500,
    "lessons": 1500,
    "replicability": 2000,
}


def first_per_code(errors: list[ValidationError]) -> list[ValidationError]:
    seen: set = set()
    kept = []
    for error in errors:
        if error.code is None or error.code not in seen:
            kept.append(error)
            seen.add(error.code)
    return kept


def _max_length(field: str) -> MaxLengthValidator:
    return MaxLengthValidator(
        LIMITS[field], message=_("不能超过 %(limit_value)d 字（当前 %(show_value)d 字）。")
    )


phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$",
    _("请填写 11 位手机号码或带区号的固定电话，如 13800138000 或 020-12345678。"),
)


class Case(CaseLifecycle, FSMModelMixin, ClusterableModel):
    campaign = models.ForeignKey(
        "cases.Campaign", verbose_name=_("征集活动"), on_delete=models.PROTECT, related_name="cases"
    )
    category = models.ForeignKey(
        "cases.CampaignCategory", verbose_name=_("征集方向"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="cases",
    )
    title = models.CharField(_("案例名称"), max_length=LIMITS["title"], validators=[_max_length("title")])
    summary = models.TextField(_("案例摘要"), blank=True, max_length=LIMITS["summary"], validators=[_max_length("summary")])
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="cases"
    )
    # Denormalised from `region` on every save, for scoping and facets without joins.
    province = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    prefecture = models.ForeignKey(
        "regions.Region", null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    organisation = models.CharField(
        _("申报单位"), max_length=LIMITS["organisation"], blank=True, validators=[_max_length("organisation")]
    )
    organisation_type = models.CharField(_("单位类型"), max_length=16, choices=OrganisationType.choices, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=30, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    period_start = models.DateField(_("实施开始日期"), null=True, blank=True)
    period_end = models.DateField(_("实施结束日期"), null=True, blank=True, help_text=_("仍在实施的可留空。"))
    scenarios = MultiChoiceField(_("应用场景"), choices_enum=Scenario)
    task_area = models.CharField(_("主要任务"), max_length=16, choices=TaskArea.choices, blank=True)
    key_groups = MultiChoiceField(_("重点群体"), choices_enum=KeyGroup)
    special_project = models.CharField(_("重点工程"), max_length=24, choices=SpecialProject.choices, blank=True)
    background = models.TextField(_("背景"), blank=True, validators=[_max_length("background")])
    approach = models.TextField(_("主要做法"), blank=True, validators=[_max_length("approach")])
    outcomes = models.TextField(_("成效"), blank=True, validators=[_max_length("outcomes")])
    lessons = models.TextField(_("经验启示"), blank=True, validators=[_max_length("lessons")])
    replicability = models.TextField(
        _("可复制推广"), blank=True, validators=[_max_length("replicability")],
        help_text=_("推广所需的前提条件、投入成本、周期和实施步骤。"),
    )

    status = FSMField(_("状态"), default=CaseStatus.DRAFT, choices=CaseStatus.choices, protected=True, db_index=True)
    tier = models.ForeignKey(
        "cases.Tier", verbose_name=_("入选等级"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="cases", editable=False,
    )
    nomination_rank = models.PositiveSmallIntegerField(_("推荐排序"), null=True, blank=True, editable=False)
    deadline_extension = models.DateTimeField(_("延期截止时间"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False, db_index=True)
    notice_starts = models.DateTimeField(_("公示开始"), null=True, blank=True, editable=False)
    notice_ends = models.DateTimeField(_("公示结束"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="cases_created", editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("案例")
        verbose_name_plural = _("案例")
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["province", "status"]),
            # The admin's case list (newest change first): a page without sorting the whole table.
            models.Index(fields=["-updated_at", "-id"], name="cases_case_updated_idx"),
            # The public lists' newest published cases (home page, library without a query): a
            # few index entries instead of sorting every published case (37 ms on 10,000).
            models.Index(fields=["-published_at", "-id"], name="cases_case_published_idx",
                         condition=models.Q(status="published")),
        ]

    def __str__(self) -> str:
        return self.title

    def clean_fields(self, exclude=None):
        # The protected state can't be set by full_clean; province/prefecture derive from region.
        try:
            super().clean_fields(exclude={*(exclude or ()), "status", "province", "prefecture"})
        except ValidationError as exc:
            # A CharField adds Django's own max-length check beside ours (`_max_length`, in 字):
            # one message per field and kind of error, the first (ours).
            raise ValidationError({name: first_per_code(errors) for name, errors in exc.error_dict.items()}) from None

    def clean(self):
        # Control and direction characters, lone surrogates: cases/validation.py (every write path).
        super().clean()
        # In the function: validation imports these models (a cycle).
        from ..validation import clean_case_text

        clean_case_text(self)

    def save(self, *args, **kwargs):
        if self.region_id:
            region = self.region
            self.province_id = region.province_code
            self.prefecture_id = region.prefecture_id
        super().save(*args, **kwargs)

    @property
    def is_editable_state(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def cover(self) -> CaseImage | None:
        images = list(self.images.all())
        return next((i for i in images if i.is_cover), images[0] if images else None)


class CaseIndicator(Orderable):
    case = ParentalKey(Case, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("指标名称"), max_length=40, help_text=_("如：培训人次"))
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=12, blank=True, help_text=_("如：人次"))
    baseline = models.DecimalField(
        _("基线值"), max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("实施前的数值，可留空。")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("成效指标")
        verbose_name_plural = _("成效指标")


class CaseImage(Orderable):
    """A cover or gallery image; the file is a Wagtail image, served only by a checking view."""

    case = ParentalKey(Case, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    alt = models.CharField(
        _("图片说明（替代文本）"), max_length=150,
        help_text=_("为视障用户朗读的图片内容描述，如“社区志愿者指导老人使用健康码”。"),
    )
    is_cover = models.BooleanField(_("封面"), default=False)

    class Meta(Orderable.Meta):
        verbose_name = _("图片")
        verbose_name_plural = _("图片")


class AttachmentKind(models.TextChoices):
    EVIDENCE = "evidence", _("佐证材料")
    RECOMMENDATION_LETTER = "recommendation_letter", _("推荐函（盖章）")
    OTHER = "other", _("其他材料")


class CaseAttachment(Orderable):
    """A Wagtail document with a `public` flag; a recommendation letter is never public."""

    case = ParentalKey(Case, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("材料名称"), max_length=100)
    kind = models.CharField(_("材料类型"), max_length=24, choices=AttachmentKind.choices, default=AttachmentKind.EVIDENCE)
    public = models.BooleanField(_("发布后公开"), default=False)

    class Meta(Orderable.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def save(self, *args, **kwargs):
        if self.kind == AttachmentKind.RECOMMENDATION_LETTER:
            self.public = False
        super().save(*args, **kwargs)


class CaseLink(Orderable):
    case = ParentalKey(Case, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("链接名称"), max_length=60)
    url = models.URLField(_("网址"), help_text=_("如视频报道的网址，须以 https:// 开头。"))

    class Meta(Orderable.Meta):
        verbose_name = _("链接")
        verbose_name_plural = _("链接（视频等）")
