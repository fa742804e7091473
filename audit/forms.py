"""The 审计日志 page's filter form: what the secretariat may narrow the log by, and the narrowing."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import actions
from .models import Outcome


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
