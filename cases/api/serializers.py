"""Response shapes of docs/api.md (names literal). They describe data; rules live in the services.

The case detail asks `cases.permissions` which contacts and attachments the requesting user
may see, so the answer is the same as in the admin and the file views.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.roles import Role
from cases import case_fields, permissions
from cases.models import Case, CaseAttachment, CaseImage
from cases.models.cases import AttachmentKind
from cases.states import CampaignStatus, CaseStatus
from regions.models import RegionLevel

from .fields import BlankAsNullField, LocalDateTimeField, NumberField

IMAGE_SPEC = "max-800x600"


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="给人看的中文说明 / a Chinese message a person can act on")
    errors = serializers.DictField(
        required=False, help_text="按字段列出的错误（仅 400）/ per-field messages (400 only)"
    )


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CampaignRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    year = serializers.IntegerField()


class TierRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()


class CaseListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    region = RegionRefSerializer()
    province = RegionRefSerializer()
    campaign = CampaignRefSerializer()
    category = serializers.CharField(source="category.code", allow_null=True, help_text="征集方向代码")
    updated_at = LocalDateTimeField()


class IndicatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = NumberField()
    unit = serializers.CharField()
    baseline = NumberField(allow_null=True)


class ImageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="经权限检查的图片地址（最大 800×600）")
    original_url = serializers.SerializerMethodField(help_text="原图地址")
    alt = serializers.CharField()
    is_cover = serializers.BooleanField()

    def get_url(self, obj: CaseImage) -> str:
        return reverse("case_files:image", args=[obj.pk, IMAGE_SPEC])

    def get_original_url(self, obj: CaseImage) -> str:
        return reverse("case_files:image", args=[obj.pk, "original"])


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="经权限检查的下载地址")
    public = serializers.BooleanField()
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)

    def get_url(self, obj: CaseAttachment) -> str:
        return reverse("case_files:attachment", args=[obj.pk])


class CaseDetailSerializer(CaseListItemSerializer):
    summary = serializers.CharField()
    organisation = serializers.SerializerMethodField(help_text="活动设置对评审专家隐去申报单位时，评审专家看到 null")
    organisation_type = BlankAsNullField()
    contact_name = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()
    contact_email = serializers.SerializerMethodField()
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    scenarios = serializers.ListField(child=serializers.CharField())
    task_area = BlankAsNullField()
    key_groups = serializers.ListField(child=serializers.CharField())
    special_project = BlankAsNullField()
    locals().update(case_fields.serializer_fields(serializers.CharField))  # the body sections, in order
    indicators = IndicatorSerializer(many=True, source="indicators.all")
    images = ImageSerializer(many=True, source="images.all")
    attachments = serializers.SerializerMethodField()
    tier = serializers.CharField(source="tier.code", allow_null=True, help_text="入选等级代码")
    nomination_rank = serializers.IntegerField(allow_null=True)
    created_at = LocalDateTimeField()
    submitted_at = LocalDateTimeField(allow_null=True)
    published_at = LocalDateTimeField(allow_null=True)

    def _user(self):
        return self.context["request"].user

    def _contact(self, case: Case, name: str) -> str | None:
        key = ("contacts", case.pk)
        if key not in self.context:
            self.context[key] = permissions.can_view_contacts(self._user(), case)
        return getattr(case, name) if self.context[key] else None

    def get_organisation(self, case: Case) -> str | None:
        return case.organisation if permissions.can_view_organisation(self._user(), case) else None

    def get_contact_name(self, case: Case) -> str | None:
        return self._contact(case, "contact_name")

    def get_contact_phone(self, case: Case) -> str | None:
        return self._contact(case, "contact_phone")

    def get_contact_email(self, case: Case) -> str | None:
        return self._contact(case, "contact_email")

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, case: Case) -> list[dict]:
        return AttachmentSerializer(permissions.visible_attachments(self._user(), case), many=True).data


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()


class TierSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    quota = serializers.IntegerField()


class CampaignSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CampaignStatus.choices)
    submission_opens = LocalDateTimeField()
    submission_closes = LocalDateTimeField()
    nomination_required = serializers.BooleanField()
    categories = CategorySerializer(many=True, source="categories.all")
    tiers = TierSerializer(many=True, source="tiers.all")
    notice_days = serializers.IntegerField()


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=RegionLevel.choices)
    parent = serializers.CharField(source="parent_id", allow_null=True)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.SerializerMethodField()
    region = RegionRefSerializer(allow_null=True)
    province = RegionRefSerializer(allow_null=True)
    organisation = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=Role.choices))
    def get_role(self, user) -> str:
        return user.effective_role

    def get_organisation(self, user) -> str | None:
        return user.organisation or None


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.CharField(help_text="ISO 8601，如 2026-11-23T18:00:00+08:00")


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    requires_reason = serializers.BooleanField()


class TransitionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)


class HistorySerializer(serializers.Serializer):
    """流转记录一条 / one audit record."""

    # `from` is a Python keyword, so the fields are declared here rather than as attributes.
    def get_fields(self):
        return {
            "transition": serializers.CharField(),
            "from": BlankAsNullField(source="from_state"),
            "to": serializers.CharField(source="to_state"),
            "by": serializers.CharField(source="by.username", allow_null=True),
            "at": LocalDateTimeField(),
            "reason": serializers.CharField(),
        }
