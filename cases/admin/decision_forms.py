"""The secretariat's small decision forms: a case's own deadline (延期), the ruling on an
objection (异议处理) and hiding an adoption report (借鉴报告). They validate and collect values
only; `workflow.grant_extension`, `notice.rule_objection` and `adoptions.hide_adoption` decide."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import workflow
from ..models import Case, ObjectionOutcome

INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class ExtensionForm(forms.Form):
    deadline = forms.CharField(
        label=gettext_lazy("新的截止时间"),
        help_text=gettext_lazy("按活动所在时区（北京时间）填写，如 2026-06-30 18:00。"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("延期理由"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": "500"}),
        help_text=gettext_lazy("记入流转记录。"),
        error_messages={"required": gettext_lazy("请填写延期理由。")},
    )

    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.fields["deadline"].error_messages["required"] = _("请填写新的截止时间。")

    def clean_deadline(self) -> datetime:
        raw = self.cleaned_data["deadline"].strip().replace(" ", "T")
        try:
            naive = datetime.strptime(raw[:16], INPUT_FORMAT)
        except ValueError:
            raise forms.ValidationError(_("请按“年-月-日 时:分”填写时间，如 2026-06-30T18:00。")) from None
        return naive.replace(tzinfo=self.case.campaign.tzinfo)


def initial_deadline(case: Case) -> str:
    """A week after the later of now and the current deadline, as the input shows it."""
    base = max(timezone.now(), workflow.deadline_for(case)) + timedelta(days=7)
    return timezone.localtime(base, case.campaign.tzinfo).strftime(INPUT_FORMAT)


def extension_form(case: Case, data=None) -> ExtensionForm:
    return ExtensionForm(data, case=case, initial={"deadline": initial_deadline(case)}, prefix="extension")


class RulingForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("处理结果"), widget=forms.RadioSelect,
        choices=[(ObjectionOutcome.UPHELD, ObjectionOutcome.UPHELD.label),
                 (ObjectionOutcome.DISMISSED, ObjectionOutcome.DISMISSED.label)],
        help_text=gettext_lazy("异议成立，该案例将被取消入选；异议不成立，案例可在公示期满后发布。"),
        error_messages={"required": gettext_lazy("请选择处理结果。")},
    )
    conclusion = forms.CharField(
        label=gettext_lazy("核查结论"), max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": "3000"}),
        help_text=gettext_lazy("将通过电子邮件告知异议人；异议成立时也记入案例的流转记录。"),
        error_messages={"required": gettext_lazy("请填写核查结论。")},
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("隐藏原因"), max_length=200, required=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": "200"}),
        help_text=gettext_lazy("如：内容不实、重复报告、与案例无关。原因记入审计日志，不向公众显示。"),
        error_messages={"required": gettext_lazy("请填写隐藏原因。"),
                        "max_length": gettext_lazy("隐藏原因不能超过 200 字。")},
    )
