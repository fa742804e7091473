"""The secretariat's search report (检索状态) and the monitoring endpoint `GET /health/search`.

Both read `search.health.snapshot()`: which backend answers, the state of the Elasticsearch
index (built, half-built, drifted), searches answered by the database in the last hour and day
by cause, the queue and the cases Elasticsearch refused. docs/search.md, "Monitoring".
"""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from cases import permissions

from . import health
from .models import PendingIndexOp

KIND_LABELS = {
    "unavailable": gettext_lazy("集群无法连接或超时"),
    "request": gettext_lazy("请求被拒绝（4xx）"),
    "auth": gettext_lazy("认证或权限错误（401/403）"),
    "tls": gettext_lazy("TLS 证书校验失败"),
    "product": gettext_lazy("对方不是 Elasticsearch"),
    "response": gettext_lazy("无法解读的响应或程序错误"),
    "config": gettext_lazy("设置有误"),
    "missing": gettext_lazy("索引不存在"),
    "incomplete": gettext_lazy("索引未完成构建"),
    "drift": gettext_lazy("映射或分析器已变更"),
    "write": gettext_lazy("写入索引失败（不影响检索）"),
}


def may_view(user) -> bool:
    return permissions.is_staff_role(user)


class SearchStatusView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "search/admin/status.html"
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not may_view(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("检索状态")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        snap = health.snapshot()
        rows = [
            {"kind": kind, "label": KIND_LABELS[kind], "hour": snap.last_hour.get(kind, 0),
             "day": snap.last_day.get(kind, 0), "last": snap.last.get(kind)}
            for kind in health.KINDS if snap.last_day.get(kind) or snap.last.get(kind)
        ]
        parked = PendingIndexOp.objects.filter(parked_at__isnull=False).order_by("-parked_at")[:50]
        context.update(snap=snap, rows=rows, parked=parked)
        return context


def health_view(request):
    """For monitoring: 200 when searches are answered as configured, 503 otherwise.

    Only states and counts, never error details (those are in the log and the admin report)."""
    snap = health.snapshot()
    body = {
        "status": "ok" if snap.healthy else "degraded",
        "backend": "elasticsearch" if snap.configured else "database",
        "index": (snap.index_state or "ready") if snap.configured else None,
        "fallbacks_last_hour": {k: n for k, n in snap.last_hour.items() if n and k != "write"},
        "write_failures_last_hour": snap.last_hour.get("write", 0),
        "pending": snap.pending,
        "parked": snap.parked,
        "rebuild_running": bool(snap.rebuild),
    }
    response = JsonResponse(body, status=200 if snap.healthy else 503)
    response["Cache-Control"] = "no-store"
    return response
