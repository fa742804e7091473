"""The two public forms: an objection to a case in notice, and an adoption report.

The services (`cases.notice.submit_objection`, `cases.adoptions.report_adoption`) are the one
place that validates; these forms only carry the input back into the page (so nothing typed
is lost) and place the services' Chinese messages next to the right field.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.objection_progress import normalise


class ServiceErrorsMixin:
    # Shorter names for the error summary where a label is a whole sentence.
    summary_labels: dict[str, str] = {}

    def summary_errors(self) -> list[tuple[str, str, str]]:
        """(input id, field name, message) for the error summary at the top of the form."""
        out = []
        for field in self:
            label = self.summary_labels.get(field.name, field.label)
            out += [(field.id_for_label, label, error) for error in field.errors]
        return out

    def add_service_errors(self, exc: ValidationError) -> None:
        self.errors  # noqa: B018 (runs full_clean so that add_error may be called)
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, exc.messages)

    def accessible(self):
        """Point each input at its hint and its error message (aria-describedby, aria-invalid)."""
        for name, field in self.fields.items():
            ids = []
            if field.help_text:
                ids.append(f"{name}-hint")
            if self.is_bound and name in self.errors:
                ids.append(f"{name}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
        return self


class ObjectionForm(ServiceErrorsMixin, forms.Form):
    summary_labels = {"consent": _("个人信息处理说明")}

    name = forms.CharField(
        label=_("姓名"), required=False, max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": 50}),
        help_text=_("请填写真实姓名，异议须实名提出。"),
    )
    phone = forms.CharField(
        label=_("联系电话"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "maxlength": 20}),
        help_text=_("11 位手机号码或带区号的固定电话，如 13800138000 或 020-12345678。"),
    )
    email = forms.CharField(
        label=_("电子邮箱"), required=False, max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "maxlength": 254}),
        help_text=_("处理结果将发送到这个邮箱。"),
    )
    reason = forms.CharField(
        label=_("异议理由"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": 3000}),
        help_text=_("请写明异议的事实和依据，10 至 3000 字。"),
    )
    evidence = forms.FileField(
        label=_("证明材料（可选）"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx"}),
        help_text=_("PDF、Word、Excel 或 PowerPoint 文件，不超过 20 MB。"),
    )
    consent = forms.BooleanField(
        label=_("我已阅读上面的个人信息处理说明，同意为处理本次异议使用我提供的信息。"),
        required=True, error_messages={"required": _("请先阅读个人信息处理说明并勾选同意。")},
    )


class AdoptionForm(ServiceErrorsMixin, forms.Form):
    since = forms.CharField(
        label=_("开始借鉴时间"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("如 2026-03-01。"),
    )
    summary = forms.CharField(
        label=_("借鉴做法"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 1000}),
        help_text=_("借鉴了哪些做法，结合本地做了哪些调整（10 至 1000 字）。"),
    )
    results = forms.CharField(
        label=_("取得成效（可选）"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        help_text=_("目前取得的成效，如培训人次、覆盖人群（不超过 1000 字）。"),
    )


class ObjectionLookupForm(ServiceErrorsMixin, forms.Form):
    """异议进度查询: the reference number and the last four digits of the phone given."""

    reference = forms.CharField(
        label=_("受理编号"), max_length=40, error_messages={"required": _("请填写受理编号。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": 40, "spellcheck": "false"}),
        help_text=_("提交异议后页面和确认邮件中给出的编号，如 YY20261206-AB12CD。"),
    )
    phone_last4 = forms.CharField(
        label=_("联系电话后四位"), max_length=8, error_messages={"required": _("请填写提交异议时所留电话的后四位数字。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "maxlength": 4}),
        help_text=_("提交异议时填写的联系电话的最后四位数字。"),
    )

    def clean_phone_last4(self) -> str:
        _reference, digits = normalise("", self.cleaned_data["phone_last4"])
        if not (len(digits) == 4 and digits.isascii() and digits.isdigit()):
            raise ValidationError(_("请填写 4 位数字，即联系电话的最后四位。"))
        return digits
