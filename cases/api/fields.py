"""Serializer fields in the API's formats.

Input fields are strict (a number is not a title, a string is not a list) and speak Chinese
whatever the client's Accept-Language; output fields write the conventions of docs/api.md §Conventions
(timestamps with the Asia/Shanghai offset, indicator numbers as JSON numbers).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MESSAGES = {
    "required": _("必须填写。"),
    "null": _("不能为空。"),
    "blank": _("不能为空。"),
    "invalid": _("格式不正确。"),
    "max_length": _("不能超过 {max_length} 字。"),
    "min_length": _("至少 {min_length} 字。"),
    "max_value": _("不能大于 {max_value}。"),
    "min_value": _("不能小于 {min_value}。"),
    "max_string_length": _("数值过大。"),
    "invalid_choice": _("“{input}”不是有效的选项。"),
    "not_a_list": _("应为列表。"),
    "not_a_dict": _("应为对象。"),
    "empty": _("不能为空。"),
    "no_name": _("无法识别上传文件的文件名。"),
    "datetime": _("应为日期，而不是日期时间。"),
    "date": _("应为日期时间，而不是日期。"),
    "make_aware": _("无效的时间。"),
    "overflow": _("时间超出范围。"),
}
NULL_CHARACTERS = ProhibitNullCharactersValidator(message=_("不能包含空字符（\\x00）。"))
SAFE_TOKEN = re.compile(r"^[-\w]{1,80}$")


def messages(**overrides) -> dict:
    return {**MESSAGES, **overrides}


class StrictCharField(serializers.CharField):
    """Text that must arrive as a JSON string (DRF would turn 123 or True into text)."""

    def __init__(self, **kwargs):
        kwargs["error_messages"] = messages(invalid=_("应为文本。"), **kwargs.get("error_messages", {}))
        super().__init__(**kwargs)
        self.validators = [NULL_CHARACTERS if isinstance(v, ProhibitNullCharactersValidator) else v
                           for v in self.validators]

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(StrictCharField):
    """Optional text; `null` clears it (stored as an empty string, like the admin does)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        if data is None:
            return ""
        return super().run_validation(data)


class CodeField(serializers.ChoiceField):
    """One taxonomy code; blank or null clears it."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("allow_null", True)
        kwargs["error_messages"] = messages(**kwargs.get("error_messages", {}))
        super().__init__(choices, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)

    def run_validation(self, data=serializers.empty):
        if data is None:
            return ""
        return super().run_validation(data)


class BoundedListField(serializers.ListField):
    """A list whose length is checked before its items, so a huge list costs nothing to refuse."""

    def __init__(self, **kwargs):
        kwargs["error_messages"] = messages(**kwargs.get("error_messages", {}))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class CodeListField(BoundedListField):
    """A multi-select of taxonomy codes; null clears it."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("max_length", 30)
        kwargs["error_messages"] = {"max_length": _("最多选择 {max_length} 项。")}
        super().__init__(child=CodeField(choices, allow_blank=False, allow_null=False), **kwargs)

    def run_validation(self, data=serializers.empty):
        if data is None:
            return []
        return super().run_validation(data)


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string", "example": "12000"}]})
class NumberInputField(serializers.Field):
    """A number or numeric text, passed on as given; `editing.parse_indicators` parses and limits it."""

    def __init__(self, **kwargs):
        kwargs["error_messages"] = messages(invalid=_("必须是数字。"))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        return data


class StrictDateField(serializers.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs["error_messages"] = messages(invalid=_("日期格式应为 YYYY-MM-DD，如 2024-03-01。"))
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


class StrictIntegerField(serializers.IntegerField):
    """An integer that arrived as a JSON number (or digits in a form field), never a boolean."""

    def __init__(self, **kwargs):
        kwargs["error_messages"] = messages(invalid=_("应为整数。"))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def __init__(self, **kwargs):
        kwargs["error_messages"] = messages(invalid=_("应为 true 或 false。"))
        super().__init__(**kwargs)


class StrictDateTimeField(serializers.DateTimeField):
    def __init__(self, **kwargs):
        kwargs["error_messages"] = messages(
            invalid=_("时间格式应为 ISO 8601，如 2026-11-23T18:00:00+08:00。")
        )
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid", format="ISO 8601")
        return super().to_internal_value(value)


class UploadField(serializers.FileField):
    def __init__(self, **kwargs):
        kwargs["error_messages"] = messages(
            required=_("请选择要上传的文件。"),
            invalid=_("请以 multipart/form-data 方式上传文件。"),
            empty=_("文件是空的，请重新选择。"),
        )
        super().__init__(**kwargs)


@extend_schema_field({"type": "string", "format": "date-time", "example": "2026-11-23T18:00:00+08:00"})
class LocalDateTimeField(serializers.Field):
    """A timestamp in Asia/Shanghai with its offset, to the second (docs/api.md §Conventions)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return local_iso(value)


def local_iso(value) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A decimal as a JSON number: an integer when integral (12000, not "12000.00")."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return as_number(value)


def as_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@extend_schema_field({"type": "string", "nullable": True})
class BlankAsNullField(serializers.Field):
    """A code that may be blank in the database; an empty code does not apply, so it is null."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None
