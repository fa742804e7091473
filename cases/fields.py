"""A multi-select of taxonomy codes stored as a JSON list (portable across SQLite and PostgreSQL)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class MultiChoiceField(models.JSONField):
    def __init__(self, *args, choices_enum=None, **kwargs):
        self.choices_enum = choices_enum
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices_enum", None)
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value is None:
            return
        if not isinstance(value, list):
            raise ValidationError(_("应为代码列表。"), code="invalid")
        valid = set(self.choices_enum.values) if self.choices_enum else None
        unknown = [v for v in value if valid is not None and v not in valid]
        if unknown:
            raise ValidationError(
                _("未知的代码：%(codes)s"), code="invalid_choice", params={"codes": "、".join(map(str, unknown))}
            )
        if len(set(value)) != len(value):
            raise ValidationError(_("不能重复选择同一项。"), code="duplicate")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choices_enum.choices if self.choices_enum else [],
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )
