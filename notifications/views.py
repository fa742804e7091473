from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from . import services


def notification_list(request):
    items = list(request.user.notifications.select_related("case")[:100])
    return TemplateResponse(request, "notifications/list.html", {"items": items, "page_title": "通知"})


@require_POST
def mark_all_read(request):
    services.mark_read(request.user)
    return redirect("notifications:list")
