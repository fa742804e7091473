"""Editing a case's content, indicators, images and attachments (not its state).

Every write locks the case and asks `permissions.can_edit_case`, so the admin and the API
refuse the same edits with the same messages.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from accounts.roles import Role

from . import case_fields, permissions, uploads, validation
from .errors import Forbidden, InvalidState, NotFound
from .models import Case, CaseAttachment, CaseImage, CaseIndicator
from .models.cases import AttachmentKind

ALT_REQUIRED = gettext_lazy("请填写图片说明（替代文本），供视障用户朗读。")

# Fields a submitter may write; state, ranks, tiers and dates belong to the workflow.
EDITABLE_FIELDS = case_fields.EDITABLE


def lock_for_edit(*, case: Case | int, by) -> Case:
    """The case, row-locked, if `by` may edit it now; otherwise a WorkflowError (404/403/409)."""
    case_id = case.pk if isinstance(case, Case) else case
    locked = permissions.visible_cases(by).select_for_update(of=("self",)).filter(pk=case_id).first()
    if locked is None:
        raise NotFound(_("未找到该案例，或您无权查看。"))
    if permissions.can_edit_case(by, locked):
        return locked
    if permissions.role_of(by) == Role.SUBMITTER and permissions.region_in_scope(by, locked.region):
        raise InvalidState(
            _("案例当前状态为“%(state)s”，不能修改。只有草稿或退回修改的案例可以编辑。")
            % {"state": locked.get_status_display()}
        )
    raise Forbidden(_("您的角色无权修改该案例。"))


def validate_case_fields(case: Case, by) -> None:
    """Model validation plus the cross-field rules, with Chinese messages per field."""
    errors: dict[str, list[str]] = {}
    try:
        case.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if case.region_id and not permissions.region_in_scope(by, case.region):
        errors.setdefault("region", []).append(_("只能选择本地区及下辖地区。"))
    if case.category_id and case.category.campaign_id != case.campaign_id:
        errors.setdefault("category", []).append(_("该征集方向不属于本活动。"))
    if case.period_start and case.period_end and case.period_end < case.period_start:
        errors.setdefault("period_end", []).append(_("结束日期不能早于开始日期。"))
    if errors:
        raise ValidationError(errors)


def update_case(*, case: Case | int, by, data: dict, indicators: list[dict] | None = None) -> Case:
    """Apply a partial update; nothing is saved unless everything is valid."""
    with transaction.atomic():
        locked = lock_for_edit(case=case, by=by)
        for name, value in data.items():
            if name not in EDITABLE_FIELDS:
                continue
            setattr(locked, f"{name}_id" if name in ("category", "region") and not hasattr(value, "pk") else name, value)
        validate_case_fields(locked, by)
        locked.save()
        if indicators is not None:
            replace_indicators(locked, indicators)
    return locked


# A plain decimal number, thousands separators allowed, an exponent allowed ("1.2e4"): no
# underscores ("1_000", which Python's Decimal would read), no NaN or Infinity.
NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,6})?")  # ASCII digits only
AMOUNT_LIMIT = Decimal("1e12")  # CaseIndicator: 14 digits, 2 of them decimals


def parse_amount(raw) -> Decimal:
    """An indicator number exactly as stored, or ValueError with what is wrong (in Chinese).

    Nothing is rounded or read loosely: "1e-999999" would be stored as 0 and "1_000" as 1000.
    """
    text = str(raw).strip().replace(",", "")
    if isinstance(raw, bool) or not NUMBER.fullmatch(text):
        raise ValueError(_("必须是数字。"))
    value = Decimal(text)
    if value.copy_abs() >= AMOUNT_LIMIT:
        raise ValueError(_("过大：绝对值应小于 1 万亿（1000000000000）。"))
    if value != value.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
        raise ValueError(_("最多保留两位小数。"))
    return value


def parse_indicators(rows: list[dict]) -> list[CaseIndicator]:
    """Validated, unsaved indicator rows; errors name the row (第 n 项) and the field."""
    if not isinstance(rows, list):
        raise ValidationError({"indicators": [_("应为指标列表。")]})
    if len(rows) > 30:
        raise ValidationError({"indicators": [_("成效指标最多 30 项。")]})
    parsed, errors = [], []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.append(_("第 %(n)d 项：格式不正确。") % {"n": i})
            continue
        name = str(row.get("name") or "").strip()
        unit = str(row.get("unit") or "").strip()
        if not name:
            errors.append(_("第 %(n)d 项：请填写指标名称。") % {"n": i})
        if len(name) > 40 or len(unit) > 12:
            errors.append(_("第 %(n)d 项：指标名称不超过 40 字，单位不超过 12 字。") % {"n": i})
        values = {}
        for key in ("value", "baseline"):
            raw = row.get(key)
            if raw in (None, "") and key == "baseline":
                values[key] = None
                continue
            try:
                values[key] = parse_amount(raw)
            except ValueError as exc:
                label = _("数值") if key == "value" else _("基线值")
                errors.append(_("第 %(n)d 项：%(label)s%(problem)s") % {"n": i, "label": label, "problem": exc})
        parsed.append(CaseIndicator(name=name, unit=unit, sort_order=i, **values))
    if errors:
        raise ValidationError({"indicators": errors})
    return parsed


def replace_indicators(case: Case, rows: list[dict]) -> None:
    parsed = parse_indicators(rows)
    CaseIndicator.objects.filter(case=case).delete()
    for ind in parsed:
        ind.case = case
    CaseIndicator.objects.bulk_create(parsed)


def _default_collection():
    from wagtail.models import Collection

    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name="申报材料").first()
    return existing or root.add_child(name="申报材料")


def add_image(*, case: Case | int, by, file, alt: str = "", is_cover: bool = False) -> CaseImage:
    # `alt` defaults to "" so a caller that leaves it out gets the Chinese message, not a TypeError.
    alt = validation.clean_line(alt or "")  # no control characters or line breaks in an attribute
    if validation.BIDI.search(alt):
        raise ValidationError({"alt": [_("不能包含改变文字方向的控制字符（如 U+202E），请删除后重新输入。")]})
    if not alt:
        raise ValidationError({"alt": [str(ALT_REQUIRED)]})
    if len(alt) > 150:
        raise ValidationError({"alt": [_("图片说明不能超过 150 字。")]})
    try:
        # Checked by content, then re-encoded (EXIF, GPS included, and other metadata dropped)
        # before the case is locked: decoding takes seconds, the write below milliseconds.
        cleaned, _ext = uploads.clean_image(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    # A failure after the file is stored rolls back the rows and deletes the file.
    with uploads.delete_on_failure() as stored, transaction.atomic():
        locked = lock_for_edit(case=case, by=by)
        if locked.images.count() >= 20:
            raise ValidationError({"file": [_("每个案例最多上传 20 张图片。")]})
        image = get_image_model()(
            title=alt[:255], file=cleaned, description=alt, collection=_default_collection(), uploaded_by_user=by
        )
        stored.append(image.file)  # its name becomes the stored path once saved
        image.save()
        if is_cover:
            locked.images.update(is_cover=False)
        first = not locked.images.exists()
        return CaseImage.objects.create(
            case=locked, image=image, alt=alt, is_cover=is_cover or first, sort_order=locked.images.count()
        )


def add_attachment(*, case: Case | int, by, file, title: str = "", public: bool = False,
                   kind: str = AttachmentKind.EVIDENCE) -> CaseAttachment:
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": [_("未知的材料类型。")]})
    try:
        ext = uploads.check_document(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    title = validation.clean_line(title or "") or uploads.display_name(file.name)
    if validation.BIDI.search(title):  # "申报材料\u202efdp.exe" would read as 申报材料exe.pdf
        raise ValidationError({"title": [_("不能包含改变文字方向的控制字符（如 U+202E），请删除后重新输入。")]})
    if len(title) > 100:
        raise ValidationError({"title": [_("材料名称不能超过 100 字。")]})
    with uploads.delete_on_failure() as stored, transaction.atomic():
        locked = lock_for_edit(case=case, by=by)
        if locked.attachments.count() >= 20:
            raise ValidationError({"file": [_("每个案例最多上传 20 份附件。")]})
        file.name = uploads.generated_name(ext)
        doc = get_document_model()(title=title, file=file, collection=_default_collection(), uploaded_by_user=by)
        stored.append(doc.file)
        doc.save()
        return CaseAttachment.objects.create(
            case=locked, document=doc, title=title, kind=kind,
            public=bool(public) and kind != AttachmentKind.RECOMMENDATION_LETTER,
            sort_order=locked.attachments.count(),
        )


def delete_image(*, case: Case | int, by, image_id: int) -> None:
    with transaction.atomic():
        locked = lock_for_edit(case=case, by=by)
        item = locked.images.select_related("image").filter(pk=image_id).first()
        if item is None:
            raise NotFound(_("未找到该图片。"))
        image = item.image
        item.delete()
        image.delete()
        if not locked.images.filter(is_cover=True).exists():
            first = locked.images.first()
            if first:
                CaseImage.objects.filter(pk=first.pk).update(is_cover=True)


def delete_attachment(*, case: Case | int, by, attachment_id: int) -> None:
    with transaction.atomic():
        locked = lock_for_edit(case=case, by=by)
        item = locked.attachments.select_related("document").filter(pk=attachment_id).first()
        if item is None:
            raise NotFound(_("未找到该附件。"))
        doc = item.document
        item.delete()
        doc.delete()
