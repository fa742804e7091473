"""One row per running `db_worker`, renewed every few seconds: the proof that it is alive."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A worker's last sign of life, in the database's clock (`seen_at`).

    A RUNNING task whose worker has not been seen for a lease (`background.recovery`) belongs to
    a dead worker and is queued again. A worker deletes its row when it stops cleanly.
    """

    worker_id = models.CharField(_("工作进程标识"), max_length=64, primary_key=True)
    host = models.CharField(_("主机"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("进程号"), default=0)
    started_at = models.DateTimeField(_("启动时间"))
    seen_at = models.DateTimeField(_("最近心跳"), db_index=True)

    class Meta:
        verbose_name = _("后台工作进程")
        verbose_name_plural = _("后台工作进程")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
