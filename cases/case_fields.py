"""The case's content fields declared once: the group each belongs to and the rules that are not
the model's own. Labels and limits are read from the model fields (`verbose_name`, our
`MaxLengthValidator` or `max_length`), never restated here.

Every list of case fields elsewhere is derived from `FIELDS`: the admin form's sections and
help texts, text normalisation and the submission check (`validation`), what a submitter may
write (`editing`), the import's columns and required columns, the API serializers' body
sections, search extraction, the printable 申报书, the compilation, and the long texts the lists
leave unread. docs/adding-a-field.md lists what adding a body section touches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import MultiChoiceField
from .models.cases import Case
from .taxonomies import KeyGroup, OrganisationType, Scenario, SpecialProject, TaskArea, label_of


class Group(StrEnum):
    IDENTITY = "identity"  # what and who: title, summary, region, organisation, period
    CLASSIFICATION = "classification"  # the campaign's category and the taxonomies
    BODY = "body"  # the 申报书's sections of free text
    CONTACT = "contact"  # never public (docs/domain.md)
    INDICATORS = "indicators"
    FILES = "files"


@dataclass(frozen=True)
class CaseField:
    name: str
    group: Group
    # `validation.submission_problems` asks for it by its label (“请填写“…”。”); the category,
    # the period, scenarios and key groups have messages of their own there.
    submit: bool = False
    # An imported published case must have it (docs/import.md): the library shows it.
    publish: bool = False
    # The codes a code field takes (the import reads them by code or label).
    codes: type[models.TextChoices] | None = None
    # The admin form's guidance under the field, in the words of the call for cases.
    hint: Any = ""

    @property
    def model_field(self) -> models.Field | models.ForeignObjectRel:
        return Case._meta.get_field(self.name)

    @property
    def is_relation_set(self) -> bool:
        """Indicators and files: rows of their own, not columns of the case."""
        return self.model_field.one_to_many

    @property
    def label(self) -> Any:
        """The model's verbose name (lazy); a set of related rows is named by its model."""
        field = self.model_field
        if self.is_relation_set:
            return field.related_model._meta.verbose_name_plural
        return field.verbose_name

    @property
    def counted(self) -> bool:
        """The model checks the length in 字 with its own message (the admin shows a counter)."""
        return self._own_limit() is not None

    @property
    def limit(self) -> int | None:
        """The longest value in characters: our limit where the model has one, else max_length."""
        own = self._own_limit()
        return own if own is not None else getattr(self.model_field, "max_length", None)

    def _own_limit(self) -> int | None:
        if self.is_relation_set:
            return None
        for validator in self.model_field.validators:
            if isinstance(validator, MaxLengthValidator) and validator.message != MaxLengthValidator.message:
                return validator.limit_value
        return None

    @property
    def many_codes(self) -> bool:
        """A multi-select of codes (a JSON list), rather than one code."""
        return isinstance(self.model_field, MultiChoiceField)

    @property
    def lines(self) -> str | None:
        """"many" for multi-line text, "one" for a line of text, None for anything else."""
        field = self.model_field
        if isinstance(field, models.TextField):
            return "many"
        if isinstance(field, models.CharField) and not field.choices:
            return "one"
        return None


# In the order of the 申报书 (the model's, but the category after the summary). Adding a body section: its model field (with a limit in
# `cases.models.cases.LIMITS`), its migration and one line here.
FIELDS: tuple[CaseField, ...] = (
    CaseField("title", Group.IDENTITY, publish=True,
              hint=_("简明写出做法和对象，如“‘银龄数字课堂’社区助老智能手机培训”。")),
    CaseField("summary", Group.IDENTITY, submit=True, publish=True,
              hint=_("用三五句话概括：做了什么、面向谁、取得了哪些成效。")),
    CaseField("category", Group.CLASSIFICATION, hint=_("选择征集方向；只能选择所选征集活动下的方向。")),
    CaseField("region", Group.IDENTITY, publish=True, hint=_("案例所属地区：本地区或下辖地区。")),
    CaseField("organisation", Group.IDENTITY, submit=True, publish=True,
              hint=_("填写申报单位全称，如“广州市越秀区委网信办”。")),
    CaseField("organisation_type", Group.IDENTITY, submit=True, publish=True, codes=OrganisationType,
              hint=_("选择申报单位的类型。")),
    CaseField("contact_name", Group.CONTACT, submit=True, hint=_("负责填报和联络的工作人员姓名。")),
    CaseField("contact_phone", Group.CONTACT, submit=True,
              hint=_("11 位手机号码或带区号的固定电话，如 13800138000 或 020-12345678。")),
    CaseField("contact_email", Group.CONTACT, submit=True, hint=_("用于接收审核结果通知，如 name@example.cn。")),
    CaseField("period_start", Group.IDENTITY, hint=_("项目开始实施的日期，格式如 2024-03-01。")),
    CaseField("period_end", Group.IDENTITY, hint=_("项目结束的日期；仍在实施的可留空。")),
    CaseField("scenarios", Group.CLASSIFICATION, publish=True, codes=Scenario,
              hint=_("案例涉及的数字素养应用场景，可多选。")),
    CaseField("task_area", Group.CLASSIFICATION, submit=True, publish=True, codes=TaskArea,
              hint=_("选择最贴近的一项主要任务。")),
    CaseField("key_groups", Group.CLASSIFICATION, publish=True, codes=KeyGroup, hint=_("案例主要面向的人群，可多选。")),
    CaseField("special_project", Group.CLASSIFICATION, codes=SpecialProject,
              hint=_("如属于某项重点工程请选择，否则留空。")),
    CaseField("background", Group.BODY, submit=True, publish=True,
              hint=_("写明当地面临的问题和需求、工作起因，可用数据说明。")),
    CaseField("approach", Group.BODY, submit=True, publish=True,
              hint=_("分条写明具体举措，如“一是……二是……三是……”，写清谁来做、怎么做。")),
    CaseField("outcomes", Group.BODY, submit=True, publish=True,
              hint=_("用数据和事例说明成效，如培训人次、覆盖人数、群众满意度。")),
    CaseField("lessons", Group.BODY, submit=True, publish=True, hint=_("总结可供其他地区借鉴的经验和体会。")),
    CaseField("replicability", Group.BODY, submit=True, publish=True,
              hint=_("写明推广所需的前提条件、投入成本、实施周期和步骤。")),
    CaseField("indicators", Group.INDICATORS),
    CaseField("images", Group.FILES),
    CaseField("attachments", Group.FILES),
    CaseField("links", Group.FILES),
)
BY_NAME: dict[str, CaseField] = {f.name: f for f in FIELDS}


def get(name: str) -> CaseField:
    return BY_NAME[name]


def label(name: str) -> str:
    """A field's label as text (JSON for the PDFs, messages): the model's verbose name (any
    field of the case: the workflow's, such as the tier, too)."""
    if name in BY_NAME:
        return str(BY_NAME[name].label)
    return str(Case._meta.get_field(name).verbose_name)


def code_labels(case: Case, name: str) -> str:
    """A code field's value in words, "" when empty; a multi-select's labels joined with 、."""
    field = BY_NAME[name]
    value = getattr(case, name)
    if field.many_codes:
        return "、".join(label_of(field.codes, code) for code in value or ())
    return label_of(field.codes, value) if value else ""


def names(fields: Iterable[CaseField]) -> tuple[str, ...]:
    return tuple(f.name for f in fields)


def in_group(*groups: Group) -> tuple[CaseField, ...]:
    return tuple(f for f in FIELDS if f.group in groups)


def columns() -> tuple[CaseField, ...]:
    """The fields stored on the case row itself (what a submitter writes in one form)."""
    return tuple(f for f in FIELDS if not f.is_relation_set)


# The derived lists most modules need, in the declaration's order.
BODY: tuple[str, ...] = names(in_group(Group.BODY))
EDITABLE: tuple[str, ...] = names(columns())
SINGLE_LINE: tuple[str, ...] = names(f for f in columns() if f.lines == "one")
MULTI_LINE: tuple[str, ...] = names(f for f in columns() if f.lines == "many")
# The long texts a list never shows (~2 kB a row): left unread by the case lists and the ranking.
LONG_TEXTS: tuple[str, ...] = MULTI_LINE


def sections(case: Case, names_: Iterable[str] = BODY) -> list[tuple[str, str]]:
    """(label, text) of the case's body sections, in order."""
    return [(label(name), getattr(case, name) or "") for name in names_]


def serializer_fields(make: Callable[[], Any], names_: Iterable[str] = BODY) -> dict[str, Any]:
    """One serializer field per body section, made in order (DRF orders fields by creation), for
    a serializer's class body: `locals().update(case_fields.serializer_fields(CharField))`."""
    return {name: make() for name in names_}
