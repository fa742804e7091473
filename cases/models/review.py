"""Expert review: the campaign's reviewer pool and one assignment (with its scores) per reviewer and case."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import MultiChoiceField
from ..taxonomies import Scenario, TaskArea


class ReviewerPoolMember(models.Model):
    """A reviewer available to a campaign, with expertise and a cap on assignments."""

    campaign = models.ForeignKey("cases.Campaign", on_delete=models.CASCADE, related_name="reviewer_pool")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评审专家"), on_delete=models.CASCADE,
        related_name="reviewer_pools", limit_choices_to={"role": "reviewer"},
    )
    expertise_scenarios = MultiChoiceField(_("擅长场景"), choices_enum=Scenario)
    expertise_tasks = MultiChoiceField(_("擅长任务"), choices_enum=TaskArea)
    load_cap = models.PositiveSmallIntegerField(_("评审上限（件）"), default=30, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("评审专家库成员")
        verbose_name_plural = _("评审专家库")
        constraints = [models.UniqueConstraint(fields=["campaign", "reviewer"], name="unique_pool_member")]

    def __str__(self) -> str:
        return f"{self.reviewer} @ {self.campaign_id}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待评审")
    DRAFT = "draft", _("草稿")
    FINAL = "final", _("已提交")
    CONFLICT = "conflict", _("已回避")


class ReviewAssignment(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="review_assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    status = models.CharField(_("状态"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    scores = models.JSONField(_("各项得分"), default=dict, blank=True)
    total = models.PositiveSmallIntegerField(_("总分"), null=True, blank=True)
    comment = models.TextField(_("评审意见"), blank=True, max_length=3000)
    conflict_reason = models.CharField(_("回避理由"), max_length=300, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "pk"]
        verbose_name = _("评审任务")
        verbose_name_plural = _("评审任务")
        constraints = [models.UniqueConstraint(fields=["case", "reviewer"], name="unique_review_assignment")]
        indexes = [models.Index(fields=["reviewer", "status"])]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.case_id} ({self.status})"
