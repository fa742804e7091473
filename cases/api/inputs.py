"""Request shapes: strict types, codes resolved to objects, and nothing the workflow owns.

These check form (types, formats, known codes); what a case may contain and who may change
it is decided by `cases.workflow` and `cases.editing`, which also produce the length and
cross-field messages.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from cases import case_fields
from cases.editing import ALT_REQUIRED
from cases.models import Campaign, Region
from cases.models.cases import AttachmentKind
from cases.states import CaseStatus
from cases.taxonomies import KeyGroup, OrganisationType, Scenario, SpecialProject, TaskArea
from regions.models import RegionLevel

from .fields import (
    SAFE_TOKEN,
    BoundedListField,
    CodeField,
    CodeListField,
    NumberInputField,
    StrictBooleanField,
    StrictCharField,
    StrictDateField,
    StrictDateTimeField,
    StrictIntegerField,
    TextField,
    UploadField,
)

# Fields a client may see but only the workflow (or the server) may set.
WORKFLOW_FIELDS = frozenset(
    {
        "id", "status", "tier", "nomination_rank", "published_at", "submitted_at", "created_at",
        "updated_at", "created_by", "deadline_extension", "province", "prefecture", "images",
        "attachments", "history", "scores", "rank", "notice_starts", "notice_ends",
    }
)
INVALID_BODY = gettext_lazy("请求内容应为 JSON 对象。")


class BodySerializer(serializers.Serializer):
    # A request body: anything but a JSON object (`null` included) is refused in Chinese.
    # (Comments, not docstrings, on base classes: spectacular shows inherited docstrings to clients.)

    default_error_messages = {"invalid": INVALID_BODY}

    def run_validation(self, data=serializers.empty):
        if data is None:
            raise serializers.ValidationError({"non_field_errors": [self.error_messages["invalid"]]})
        return super().run_validation(data)


class StrictSerializer(BodySerializer):
    # Refuses fields it does not know, naming them, instead of silently dropping them.

    refused_fields: frozenset[str] = frozenset()

    def to_internal_value(self, data):
        errors = {}
        for key in data.keys() if hasattr(data, "keys") else ():
            if key in self.fields:
                continue
            if key in self.refused_fields:
                errors[key] = [self.refused_message(key)]
            else:
                errors[key] = [_("未知的字段“%(field)s”。") % {"field": key}]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            raise serializers.ValidationError({**errors, **exc.detail}) from None
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def refused_message(self, key: str) -> str:
        return _("字段“%(field)s”只能由流转操作或系统设置，不能直接提交。") % {"field": key}


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code).first() if code.isascii() and code.isdigit() and len(code) == 6 else None
    if region is None:
        raise serializers.ValidationError(_("未知的地区代码“%(code)s”。") % {"code": code})
    return region


class IndicatorInputSerializer(StrictSerializer):
    """成效指标一项 / one indicator: value and baseline as numbers or numeric strings."""

    default_error_messages = {"invalid": gettext_lazy("每项指标应为 JSON 对象。")}

    name = StrictCharField()
    value = NumberInputField(help_text="数值，如 12000 或 \"12000\"")
    unit = TextField()
    baseline = NumberInputField(required=False, allow_null=True, help_text="基线值，可为空")


class CaseUpdateSerializer(StrictSerializer):
    """部分更新：只需给出要修改的字段 / any subset of the case's content fields."""

    refused_fields = WORKFLOW_FIELDS | {"campaign"}

    title = StrictCharField(required=False, allow_blank=True)
    summary = TextField()
    category = StrictCharField(required=False, allow_null=True, allow_blank=True,
                               help_text="征集方向代码（见 GET /campaigns/{slug}）")
    region = StrictCharField(required=False, help_text="地区代码，如 440100")
    organisation = TextField()
    organisation_type = CodeField(OrganisationType.choices)
    contact_name = TextField()
    contact_phone = TextField()
    contact_email = TextField()
    period_start = StrictDateField()
    period_end = StrictDateField()
    scenarios = CodeListField(Scenario.choices)
    task_area = CodeField(TaskArea.choices)
    key_groups = CodeListField(KeyGroup.choices)
    special_project = CodeField(SpecialProject.choices)
    locals().update(case_fields.serializer_fields(TextField))  # the body sections, in order
    indicators = BoundedListField(
        child=IndicatorInputSerializer(), required=False, max_length=30,
        error_messages={"max_length": gettext_lazy("成效指标最多 {max_length} 项。")},
        help_text="给出时整体替换全部指标",
    )

    def refused_message(self, key: str) -> str:
        if key == "campaign":
            return _("案例创建后不能更换征集活动。")
        return super().refused_message(key)

    def validate_region(self, value: str) -> Region:
        return _region(value)

    def campaign_for_category(self, attrs) -> Campaign | None:
        return self.context.get("campaign")

    def validate(self, attrs):
        if "category" in attrs:
            code = attrs["category"]
            if not code:
                attrs["category"] = None
            else:
                campaign = self.campaign_for_category(attrs)
                category = campaign.categories.filter(code=code).first() if campaign else None
                if category is None:
                    raise serializers.ValidationError(
                        {"category": [_("该征集活动没有代码为“%(code)s”的征集方向。") % {"code": code}]}
                    )
                attrs["category"] = category
        return attrs


class CaseCreateSerializer(CaseUpdateSerializer):
    """新建草稿：必填 campaign、title、region，其余可稍后补充 / a new draft."""

    refused_fields = WORKFLOW_FIELDS

    campaign = StrictCharField(help_text="征集活动标识（slug）")
    title = StrictCharField()
    region = StrictCharField(help_text="地区代码，如 440100")

    def validate_campaign(self, value: str) -> Campaign:
        campaigns = self.context["campaigns"]
        campaign = campaigns.filter(slug=value).first() if SAFE_TOKEN.match(value) else None
        if campaign is None:
            raise serializers.ValidationError(_("未知的征集活动“%(slug)s”。") % {"slug": value})
        return campaign

    def campaign_for_category(self, attrs) -> Campaign | None:
        return attrs.get("campaign")


class ImageUploadSerializer(StrictSerializer):
    """上传图片（multipart/form-data）/ an image upload."""

    file = UploadField(help_text="JPG、PNG、GIF 或 WebP 图片")
    alt = TextField(required=True, error_messages={"required": ALT_REQUIRED},
                    help_text="图片说明（替代文本），必填，不超过 150 字")
    is_cover = StrictBooleanField(required=False, default=False)
    title = TextField(write_only=True, help_text="可选，不使用：图片以说明文字为标题 / accepted, unused (alt is the title)")


class AttachmentUploadSerializer(StrictSerializer):
    """上传附件（multipart/form-data）；推荐函永不公开 / an attachment upload."""

    file = UploadField(help_text="PDF、Word、Excel 或 PowerPoint 文件")
    title = TextField(help_text="材料名称，留空则用文件名")
    public = StrictBooleanField(required=False, default=False)
    kind = CodeField(AttachmentKind.choices, allow_blank=False, allow_null=False, default=AttachmentKind.EVIDENCE)


class TransitionInputSerializer(BodySerializer):
    """流转操作的输入；未列出的字段被忽略 / transition inputs; other keys are ignored."""

    reason = TextField(max_length=2000)
    expected_status = CodeField(CaseStatus.choices, help_text="只有当案例仍处于该状态时才执行")
    rank = StrictIntegerField(required=False, min_value=1, max_value=1000, help_text="推荐排序（recommend）")
    tier = StrictCharField(required=False, max_length=32, help_text="入选等级代码（shortlist）")
    deadline = StrictDateTimeField(required=False, help_text="延期截止时间")


class SignInSerializer(BodySerializer):
    """用户名和密码 / username and password."""


    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=4096, trim_whitespace=False)


class SubmissionFilterSerializer(serializers.Serializer):
    status = serializers.ListField(child=CodeField(CaseStatus.choices, allow_blank=False), required=False)
    campaign = StrictCharField(required=False)

    def validate_campaign(self, value: str) -> str:
        if not SAFE_TOKEN.match(value):
            raise serializers.ValidationError(_("征集活动标识格式不正确。"))
        return value


class RegionFilterSerializer(serializers.Serializer):
    level = CodeField(RegionLevel.choices, allow_blank=False)
    parent = StrictCharField(required=False)

    def validate_parent(self, value: str) -> Region:
        return _region(value)
