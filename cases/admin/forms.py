"""The case form (申报书) and the small forms around it: uploads and transition reasons.

The case form only validates and collects values; `workflow.create_draft` and
`editing.update_case` do every write (see views).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from regions.selectors import regions_under

from .. import case_fields
from ..editing import EDITABLE_FIELDS
from ..models import Case
from ..models.cases import AttachmentKind
from ..validation import NEEDED_TO_SUBMIT
from . import selectors
from .widgets import CheckboxGroup, use_native_dates

# Inline help shown under each field: what to write, in the words of the call for cases.
HELP_TEXTS: dict[str, Any] = {
    "campaign": _("选择本案例申报的征集活动（只列出正在征集的活动）。"),
    **{f.name: f.hint for f in case_fields.FIELDS if f.hint},
}

# Every field the form carries: the editable content plus the campaign (chosen once, at creation).
FORM_FIELDS = ("campaign", *EDITABLE_FIELDS)


class CategorySelect(forms.Select):
    """A select whose options name their campaign, so the page can offer only matching ones."""

    def __init__(self, *args, campaign_of: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign_of = campaign_of or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        campaign_id = self.campaign_of.get(str(value))
        if campaign_id is not None:
            option["attrs"]["data-campaign"] = str(campaign_id)
        return option


class CaseForm(WagtailAdminModelForm):
    """Wagtail's panel form for a case, limited to what the signed-in submitter may choose."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        creating = self.instance.pk is None
        self._limit_choices(user, creating)
        use_native_dates(self)
        self._mark_for_people()
        for name, field in self.fields.items():
            if name in HELP_TEXTS:
                field.help_text = HELP_TEXTS[name]
            if name in case_fields.BY_NAME and case_fields.get(name).counted:
                self._apply_limit(name, field)

    def _limit_choices(self, user, creating: bool) -> None:
        fields = self.fields
        if "campaign" in fields:
            if creating:
                fields["campaign"].queryset = selectors.open_campaigns()
                fields["campaign"].empty_label = _("请选择征集活动")
                if fields["campaign"].queryset.count() == 1 and not self.is_bound:
                    self.initial.setdefault("campaign", fields["campaign"].queryset.first().pk)
            else:
                fields["campaign"].disabled = True
                fields["campaign"].help_text = _("征集活动在创建后不能更改。")
        if "category" in fields:
            if creating:
                categories = selectors.categories_of_open_campaigns()
            else:
                categories = self.instance.campaign.categories.select_related("campaign")
            fields["category"].queryset = categories
            if creating and len({c.campaign_id for c in categories}) > 1:
                fields["category"].label_from_instance = lambda c: f"{c.campaign.title} · {c.title}"
            fields["category"].empty_label = _("请选择征集方向")
            fields["category"].widget = CategorySelect(campaign_of={str(c.pk): c.campaign_id for c in categories})
            fields["category"].widget.choices = fields["category"].choices
        if "region" in fields:
            region_field = fields["region"]
            region_field.queryset = regions_under(getattr(user, "region", None))
            region_field.label_from_instance = lambda region: region.full_name
            region_field.empty_label = _("请选择所属地区")
            if creating and not self.is_bound and getattr(user, "region_id", None):
                self.initial.setdefault("region", user.region_id)

    def _mark_for_people(self) -> None:
        """What a screen reader and a first-time submitter need before the first save: the fields
        a submission needs say so in their label; checkbox groups get a legend; the indicator
        rows' asterisked inputs carry `required` (their asterisk promised it)."""
        for name in NEEDED_TO_SUBMIT:
            field = self.fields.get(name)
            if field is None or field.required:
                continue
            field.plain_label = str(field.label)
            field.label = format_html('{}<span class="cb-needed">{}</span>', field.label, _("（提交必填）"))
        for name in ("scenarios", "key_groups"):
            field = self.fields.get(name)
            if field is not None:
                attrs = field.widget.attrs
                field.widget = CheckboxGroup(attrs=attrs, choices=field.choices, legend=getattr(field, "plain_label", field.label))
        formset = self.formsets.get("indicators") if hasattr(self, "formsets") else None
        if formset is not None:
            for name in ("name", "value"):
                formset.form.base_fields[name].widget.attrs.update(required=True, **{"aria-required": "true"})
            for form in formset.forms:
                for name in ("name", "value"):
                    form.fields[name].widget.attrs.update(required=True, **{"aria-required": "true"})

    def error_summary(self) -> list[dict[str, str]]:
        """Every error of the form and its indicator rows, each with the id of the field to go to."""
        items = []
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            label, target = "", ""
            if field is not None:
                label = getattr(field, "plain_label", field.label)
                bound = self[name]
                multiple = isinstance(field.widget, forms.CheckboxSelectMultiple)
                target = f"{bound.auto_id}_0" if multiple else (bound.id_for_label or bound.auto_id)
            for message in errors:
                items.append({"target": target or "", "label": str(label), "message": str(message)})
        for formset in getattr(self, "formsets", {}).values():
            for message in formset.non_form_errors():
                items.append({"target": "", "label": "", "message": str(message)})
            for number, form in enumerate(formset.forms, 1):
                for name, errors in form.errors.items():
                    field = form.fields.get(name)
                    label = _("第 %(n)d 项 · %(field)s") % {"n": number, "field": field.label} if field else ""
                    target = form[name].auto_id if field else ""
                    for message in errors:
                        items.append({"target": target or "", "label": str(label), "message": str(message)})
        return items

    def _apply_limit(self, name: str, field: forms.Field) -> None:
        limit = case_fields.get(name).limit
        field.widget.attrs["maxlength"] = str(limit)
        field.widget.attrs["data-limit"] = str(limit)
        model_validators = [v for v in Case._meta.get_field(name).validators if isinstance(v, MaxLengthValidator)]
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.extend(model_validators[:1])  # ours (Chinese), not Django's default

    def clean(self):
        cleaned = super().clean()
        campaign = cleaned.get("campaign") or (self.instance.campaign if self.instance.pk else None)
        category = cleaned.get("category")
        if campaign and category and category.campaign_id != campaign.pk:
            self.add_error("category", _("该征集方向不属于所选征集活动，请重新选择。"))
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("结束日期不能早于开始日期。"))
        return cleaned

    # --- values for the services -------------------------------------------------------

    def case_values(self) -> dict[str, Any]:
        """The cleaned content fields, as `create_draft` / `update_case` take them."""
        return {name: self.cleaned_data[name] for name in FORM_FIELDS if name in self.cleaned_data}

    def indicator_rows(self) -> list[dict[str, str]]:
        """The indicator rows in their on-screen order, without deleted or untouched blank rows."""
        formset = self.formsets.get("indicators")
        if formset is None:
            return []
        forms_in_order = formset.ordered_forms if formset.can_order else formset.forms
        rows = []
        for form in forms_in_order:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            rows.append(
                {
                    "name": data.get("name") or "",
                    "value": "" if data.get("value") is None else str(data["value"]),
                    "unit": data.get("unit") or "",
                    "baseline": "" if data.get("baseline") is None else str(data["baseline"]),
                }
            )
        return rows

    def apply_service_errors(self, exc: ValidationError) -> None:
        """Show a service's ValidationError next to the fields it names (or above the form)."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, errors in exc.message_dict.items():
            target = field if field in self.fields else None
            for message in errors:
                self.add_error(target, message)


# --- uploads -------------------------------------------------------------------------------


class ImageUploadForm(forms.Form):
    file = forms.FileField(
        label=_("图片文件"),
        help_text=_("JPG、PNG、GIF 或 WebP 图片，不超过 10 MB。"),
        error_messages={"required": _("请选择要上传的图片。")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    alt = forms.CharField(
        label=_("图片说明（替代文本）"),
        max_length=150,
        help_text=_("为视障用户朗读的图片内容描述，如“社区志愿者指导老人使用健康码”。"),
        error_messages={"required": _("请填写图片说明（替代文本），供视障用户朗读。")},
    )
    is_cover = forms.BooleanField(label=_("设为封面"), required=False)


class AttachmentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("附件文件"),
        help_text=_("PDF、Word、Excel 或 PowerPoint 文件，不超过 20 MB。"),
        error_messages={"required": _("请选择要上传的文件。")},
    )
    title = forms.CharField(
        label=_("材料名称"), max_length=100, required=False, help_text=_("如“培训台账”；留空则使用文件名。")
    )
    kind = forms.ChoiceField(label=_("材料类型"), choices=AttachmentKind.choices, initial=AttachmentKind.EVIDENCE)
    public = forms.BooleanField(
        label=_("发布后公开"),
        required=False,
        help_text=_("勾选后，案例发布时公众可以下载此材料。推荐函始终不公开。"),
    )


class TransitionForm(forms.Form):
    """The reason for a transition; required when the transition demands one."""

    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": "2000", "data-limit": "2000"}),
        help_text=_("理由将记入流转记录，并告知申报单位。"),
    )
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, reason_mode: str = "none", **kwargs):
        super().__init__(*args, **kwargs)
        self.reason_mode = reason_mode
        if reason_mode == "required":
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _("请填写理由。")
        elif reason_mode == "none":
            del self.fields["reason"]
