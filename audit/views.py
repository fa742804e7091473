"""The secretariat's view of the audit log (审计日志), filterable; read-only by construction."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from accounts.permissions import is_staff_role
from accounts.roles import Role

from . import actions
from .models import AuditEvent, Outcome
from .summary import describe


def may_view_audit(user) -> bool:
    return is_staff_role(user)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("操作"), required=False)
    outcome = forms.ChoiceField(
        label=gettext_lazy("结果"), required=False, choices=[("", gettext_lazy("全部结果")), *Outcome.choices]
    )
    username = forms.CharField(label=gettext_lazy("账号"), required=False, max_length=150)
    object_type = forms.CharField(label=gettext_lazy("对象类型"), required=False, max_length=64)
    object_id = forms.CharField(label=gettext_lazy("对象 ID"), required=False, max_length=64)
    ip = forms.GenericIPAddressField(label=gettext_lazy("IP 地址"), required=False)
    date_from = forms.DateField(label=gettext_lazy("起始日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("截止日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("全部操作"))] + [(k, str(v)) for k, v in actions.LABELS.items()]

    def filter(self, events):
        if not self.is_valid():
            return events.none()
        data = self.cleaned_data
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("outcome"):
            events = events.filter(outcome=data["outcome"])
        if data.get("username"):
            events = events.filter(username__icontains=data["username"].strip())
        if data.get("object_type"):
            events = events.filter(object_type=data["object_type"].strip())
        if data.get("object_id"):
            events = events.filter(object_id=data["object_id"].strip())
        if data.get("ip"):
            events = events.filter(ip=data["ip"])
        tz = timezone.get_current_timezone()
        if data.get("date_from"):
            events = events.filter(at__gte=timezone.make_aware(datetime.combine(data["date_from"], time.min), tz))
        if data.get("date_to"):
            events = events.filter(at__lte=timezone.make_aware(datetime.combine(data["date_to"], time.max), tz))
        return events


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
