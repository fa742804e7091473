"""查重 data: the policy reference corpus, the candidate index, and the reports (docs/similarity.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyText(models.Model):
    """A policy text that cases quote (纲要, 工作要点, provincial plans): matches with it are
    counted in 总文字复制比 and left out of 去除政策引文复制比."""

    slug = models.SlugField(_("标识"), max_length=80, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    added_at = models.DateTimeField(_("加入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("政策文本")
        verbose_name_plural = _("政策文本")

    def __str__(self) -> str:
        return self.title


class IndexedCase(models.Model):
    """Which text of a case its fingerprints were taken from (skip the work when it is unchanged)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="+")
    digest = models.CharField(max_length=32)
    indexed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.case_id}:{self.digest}"


class Fingerprint(models.Model):
    """One kept shingle hash of a case (similarity/fingerprints.py): the candidate index."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", db_index=False)
    hash = models.BigIntegerField()

    class Meta:
        indexes = [
            # Lookup by hash, answered from the index alone (no table visit) on PostgreSQL.
            models.Index(fields=["hash", "case"], name="similarity_fp_hash_case"),
            models.Index(fields=["case"], name="similarity_fp_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.hash}"


class CommonFingerprint(models.Model):
    """A fingerprint shared by so many cases that it is boilerplate (a stock phrase of the call or
    of a template), not a sign of copying: left out of the candidate query, where its long list
    of cases would only cost time (similarity/index.py, COMMON_CASES). Alignment still counts it."""

    hash = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return str(self.hash)


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("检测中")
    READY = "ready", _("已完成")


class Report(models.Model):
    """The check of one submitted version of a case; the newest one per case is the one shown."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="similarity_reports")
    version = models.PositiveIntegerField(_("版本"), help_text=_("第几次提交。"))
    status = models.CharField(_("状态"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    requested_at = models.DateTimeField(_("请求时间"), auto_now_add=True)
    checked_at = models.DateTimeField(_("检测时间"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The checked text (title, summary, body sections) as it was, so passages keep their places.
    text = models.TextField(blank=True)
    min_run = models.PositiveSmallIntegerField(_("最短匹配字数"), default=13)
    threshold = models.PositiveSmallIntegerField(_("提示阈值（%）"), default=30)
    total_ratio = models.FloatField(_("总文字复制比"), null=True)
    max_single_ratio = models.FloatField(_("单篇最大文字复制比"), null=True)
    ratio_excluding_own = models.FloatField(_("去除本单位文字复制比"), null=True)
    ratio_excluding_policy = models.FloatField(_("去除政策引文复制比"), null=True)
    # Neither the policy corpus nor the same organisation: what the flag is raised on.
    ratio_other_units = models.FloatField(_("他单位案例复制比"), null=True)
    flagged = models.BooleanField(_("提示"), default=False)
    same_organisation_flagged = models.BooleanField(_("疑似本单位重复申报"), default=False)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["case", "-id"], name="similarity_report_latest")]
        verbose_name = _("查重报告")
        verbose_name_plural = _("查重报告")

    def __str__(self) -> str:
        return f"{self.case_id} v{self.version} ({self.status})"


class SourceKind(models.TextChoices):
    CASE = "case", _("案例")
    POLICY = "policy", _("政策文本")


class ReportSource(models.Model):
    """One source of a report: its share of the checked text and the passages (positions in both
    texts: [start, end, source_start, source_end] of the original texts, end exclusive)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=8, choices=SourceKind.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    policy = models.ForeignKey(PolicyText, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The title when checked (what a deleted source is shown as; visibility decides the rest).
    title = models.CharField(max_length=200)
    same_organisation = models.BooleanField(default=False)
    ratio = models.FloatField()
    passages = models.JSONField(default=list)

    class Meta:
        ordering = ["-ratio", "pk"]

    def __str__(self) -> str:
        return f"{self.title} {self.ratio:.1%}"
