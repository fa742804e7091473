"""The secretariat's view of the audit log (审计日志), filterable; read-only by construction."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from accounts.permissions import is_staff_role
from accounts.roles import Role

from . import actions
from .forms import AuditFilterForm
from .models import AuditEvent
from .summary import describe


def may_view_audit(user) -> bool:
    return is_staff_role(user)


def object_label(object_type: str) -> str:
    """"cases.case" → 案例: the model's Chinese name (the raw label when it is not a model)."""
    from django.apps import apps

    if not object_type:
        return ""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


class AuditLogView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "audit/admin/index.html"
    header_icon = "history"
    page_size = 50

    def dispatch(self, request, *args, **kwargs):
        if not may_view_audit(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("审计日志")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AuditFilterForm(self.request.GET or None)
        events = AuditEvent.objects.all()
        if self.request.GET:
            events = form.filter(events)
        page = Paginator(events, self.page_size).get_page(self.request.GET.get("p"))
        roles = dict(Role.choices)
        rows = [
            {
                "event": e,
                "label": actions.label(e.action),
                "role": roles.get(e.role, e.role),
                "details": describe(e.action, e.details),
                "object": object_label(e.object_type),
            }
            for e in page
        ]
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(form=form, page=page, rows=rows, query=query.urlencode())
        return context
