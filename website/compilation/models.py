"""The stored compilation of a campaign (imported by `website.models` so Django registers it)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CompilationState(models.TextChoices):
    PENDING = "pending", _("等待生成")
    BUILDING = "building", _("正在生成")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


class Compilation(models.Model):
    """The last built PDF of a campaign and the state of its next build.

    `file` is the last good build, kept and served while a newer one is pending or building (also
    after a revoke: the book carries its date, and the new one replaces it within minutes) and
    deleted only once the new one is stored, or when no case is published any more.
    `fingerprint` identifies the content the file was built from (website/compilation/tasks.py).
    """

    campaign = models.OneToOneField(
        "cases.Campaign", verbose_name=_("征集活动"), on_delete=models.CASCADE, related_name="compilation"
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=CompilationState.choices, default=CompilationState.PENDING
    )
    file = models.FileField(_("PDF 文件"), upload_to="compilations/", max_length=200, blank=True)
    fingerprint = models.CharField(_("内容指纹"), max_length=64, blank=True, editable=False)
    case_count = models.PositiveIntegerField(_("收录案例数"), default=0)
    size = models.PositiveIntegerField(_("文件大小（字节）"), default=0)
    built_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    requested_at = models.DateTimeField(_("最近请求生成时间"), null=True, blank=True)
    error = models.TextField(_("错误信息"), blank=True)

    class Meta:
        verbose_name = _("典型案例汇编")
        verbose_name_plural = _("典型案例汇编")

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.get_state_display()}"

    @property
    def has_file(self) -> bool:
        return bool(self.file) and self.file.storage.exists(self.file.name)
