"""Shapes of the review, selection and notice endpoints (docs/api.md §Signed in: reviews and selection, §Public endpoints).

They describe data only: who may see a review, a score or an objection is decided by the views
with `cases.permissions` and the review/notice services.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import case_fields, permissions
from cases.models import Case, ReviewAssignment
from cases.models.objections import ObjectionOutcome
from cases.models.review import ReviewStatus
from cases.states import CaseStatus

from .fields import (
    BlankAsNullField,
    CodeField,
    LocalDateTimeField,
    StrictBooleanField,
    StrictDateField,
    TextField,
    UploadField,
    local_iso,
    messages,
)
from .inputs import BodySerializer, StrictSerializer
from .serializers import (
    AttachmentSerializer,
    CampaignRefSerializer,
    ImageSerializer,
    IndicatorSerializer,
    RegionRefSerializer,
    TierRefSerializer,
    TransitionResultSerializer,
)

# The two outcomes a ruling may give (an objection is "open" until ruled on).
RULING_OUTCOMES = [(o.value, o.label) for o in (ObjectionOutcome.UPHELD, ObjectionOutcome.DISMISSED)]


def rounded(value: float | None) -> float | None:
    """Aggregates to two decimals, as in the score sheet."""
    return None if value is None else round(value, 2)


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


# --- reviews (the reviewer's side) ------------------------------------------------------


class ReviewListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="评审任务编号 / assignment id")
    case = CaseRefSerializer()
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    deadline = serializers.SerializerMethodField(help_text="评审截止时间，未设定为 null / review deadline")

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_deadline(self, assignment: ReviewAssignment) -> str | None:
        return local_iso(assignment.case.campaign.review_deadline)


class ReviewFilterSerializer(serializers.Serializer):
    status = serializers.ListField(child=CodeField(ReviewStatus.choices, allow_blank=False), required=False)


class RubricCriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    max = serializers.IntegerField(source="max_score", help_text="满分（权重）/ the maximum")


class ReviewCaseSerializer(serializers.Serializer):
    """评审专家看到的案例：无联系人信息，按活动设置隐去申报单位 / the case as its reviewer sees it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    region = RegionRefSerializer()
    province = RegionRefSerializer()
    campaign = CampaignRefSerializer()
    category = serializers.CharField(source="category.code", allow_null=True, help_text="征集方向代码")
    organisation = serializers.SerializerMethodField(help_text="活动设置对评审专家隐去申报单位时为 null")
    organisation_type = BlankAsNullField()
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

    def _user(self):
        return self.context["request"].user

    def get_organisation(self, case: Case) -> str | None:
        return case.organisation if permissions.can_view_organisation(self._user(), case) else None

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, case: Case) -> list[dict]:
        return AttachmentSerializer(permissions.visible_attachments(self._user(), case), many=True).data


class ReviewDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="评审任务编号 / assignment id")
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    deadline = serializers.SerializerMethodField(help_text="评审截止时间 / review deadline")
    case = serializers.SerializerMethodField()
    rubric = serializers.SerializerMethodField()
    scores = serializers.DictField(child=serializers.IntegerField(), help_text="我的各项得分 / my scores")
    total = serializers.IntegerField(allow_null=True, help_text="各项都打分后为总分，否则为 null")
    comment = serializers.CharField()
    final = serializers.SerializerMethodField(help_text="已提交（不可再修改）/ submitted, no more changes")
    updated_at = LocalDateTimeField()
    finalised_at = LocalDateTimeField(allow_null=True)

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_deadline(self, assignment: ReviewAssignment) -> str | None:
        return local_iso(assignment.case.campaign.review_deadline)

    @extend_schema_field(ReviewCaseSerializer)
    def get_case(self, assignment: ReviewAssignment) -> dict:
        return ReviewCaseSerializer(self.context["case"], context=self.context).data

    @extend_schema_field(RubricCriterionSerializer(many=True))
    def get_rubric(self, assignment: ReviewAssignment) -> list[dict]:
        return RubricCriterionSerializer(assignment.case.campaign.rubric.all(), many=True).data

    def get_final(self, assignment: ReviewAssignment) -> bool:
        return assignment.status == ReviewStatus.FINAL


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "integer", "minimum": 0},
        "example": {"innovation": 20, "effectiveness": 25},
    }
)
class ScoresField(serializers.DictField):
    """An object of criterion code → score; `cases.review.scoring` checks codes and ranges."""

    def __init__(self, **kwargs):
        kwargs["error_messages"] = messages(not_a_dict=gettext_lazy("应为对象，如 {{\"innovation\": 20}}。"))
        super().__init__(**kwargs)


class ReviewInputSerializer(StrictSerializer):
    """整体保存我的评分：final 为 true 即提交，提交后不能再修改 / save my review (a full replacement)."""

    refused_fields = frozenset({"total", "status", "reviewer", "case"})

    scores = ScoresField(help_text="评分项代码 → 整数分数（0 至该项满分）；草稿可只填部分")
    comment = TextField(max_length=3000, help_text="评审意见，不超过 3000 字")
    final = StrictBooleanField(required=False, default=False, help_text="true：提交评分（须各项都打分）")


class ConflictInputSerializer(BodySerializer):
    """声明回避 / declare a conflict of interest."""

    reason = TextField(max_length=300, help_text="回避理由（必填）")


class ConflictResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ReviewStatus.choices, help_text="回避后为 conflict")
    reassigned = serializers.IntegerField(help_text="已为该案例补充分配的专家人数 / replacements assigned")


# --- selection (the secretariat's side) --------------------------------------------------


class CaseScoreSerializer(serializers.Serializer):
    reviewer = serializers.CharField(source="reviewer.username")
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    scores = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField()
    final = serializers.SerializerMethodField()
    finalised_at = LocalDateTimeField(allow_null=True)

    def get_final(self, assignment: ReviewAssignment) -> bool:
        return assignment.status == ReviewStatus.FINAL


class RankingRowSerializer(serializers.Serializer):
    case = CaseRefSerializer()
    n_scores = serializers.IntegerField(help_text="已提交的评分份数")
    mean = serializers.FloatField(allow_null=True, help_text="平均分")
    trimmed_mean = serializers.FloatField(allow_null=True, help_text="去掉一个最高分和一个最低分后的平均分（少于 5 份为 null）")
    normalised = serializers.FloatField(allow_null=True, help_text="标准化得分（docs/domain.md §5）")
    rank = serializers.IntegerField(allow_null=True, help_text="按活动的计分方法排名，并列同名次；无评分为 null")
    status = serializers.ChoiceField(choices=CaseStatus.choices, source="case.status")
    tier = serializers.CharField(source="case.tier.code", allow_null=True, help_text="入选等级代码")
    min = serializers.FloatField(source="minimum", allow_null=True, help_text="最低分")
    max = serializers.FloatField(source="maximum", allow_null=True, help_text="最高分")
    stdev = serializers.FloatField(allow_null=True, help_text="总体标准差")
    disagreement = serializers.BooleanField(help_text="专家分歧较大（极差超过总分的 20%）")

    def to_representation(self, row):
        data = super().to_representation(row)
        for key in ("mean", "trimmed_mean", "normalised", "min", "max", "stdev"):
            data[key] = rounded(data[key])
        return data


class RankingResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = RankingRowSerializer(many=True)
    aggregation = serializers.CharField(help_text="排名所用的计分方法：mean | trimmed_mean | normalised")


class RefusalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    detail = serializers.CharField(help_text="未能执行的原因 / why not")


class NoticeInputSerializer(StrictSerializer):
    """开始公示；start 缺省为今天 / open the notice; start defaults to today."""

    start = StrictDateField(help_text="公示开始日期 YYYY-MM-DD，缺省为今天，不能早于今天")


class NoticeResultSerializer(serializers.Serializer):
    opened = serializers.ListField(child=serializers.IntegerField(), help_text="已开始公示的案例编号")
    refused = RefusalSerializer(many=True)
    notice_ends = serializers.CharField(allow_null=True, help_text="公示结束时间（最后一天 23:59:59）")


class PublishResultSerializer(serializers.Serializer):
    published = serializers.ListField(child=serializers.IntegerField(), help_text="已发布的案例编号")
    refused = RefusalSerializer(many=True)


class AssignmentResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="新分配的评审任务数")
    problems = serializers.ListField(child=serializers.CharField(), help_text="未能分配足额专家的案例及原因")


class RulingInputSerializer(StrictSerializer):
    """异议处理结论 / the ruling on an objection."""

    outcome = CodeField(
        RULING_OUTCOMES, required=True, allow_blank=False, allow_null=False,
        help_text="upheld（异议成立，案例取消入选）或 dismissed（异议不成立）",
    )
    conclusion = TextField(max_length=3000, help_text="核查结论（必填）")


class CaseStatusRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)


class RulingResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    outcome = serializers.ChoiceField(choices=ObjectionOutcome.choices)
    case = CaseStatusRefSerializer()


class ObjectionSerializer(serializers.Serializer):
    """一条异议（含异议人个人信息，仅组织方可见）/ an objection, for the secretariat only."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    outcome = serializers.ChoiceField(choices=ObjectionOutcome.choices)
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    reason = serializers.CharField()
    has_evidence = serializers.SerializerMethodField()
    created_at = LocalDateTimeField()
    conclusion = serializers.CharField()
    ruled_at = LocalDateTimeField(allow_null=True)

    def get_has_evidence(self, objection) -> bool:
        return objection.evidence_id is not None


class TransitionOutcomeSerializer(TransitionResultSerializer):
    """执行操作的结果：{"id", "status"}；extend_deadline 另有 deadline_extension / a transition's result."""

    # Not read-only, so the schema does not mark it required: only extend_deadline returns it.
    # (Schema only: the view writes the response itself.)
    deadline_extension = serializers.DateTimeField(
        required=False, allow_null=True, help_text="仅 extend_deadline 返回：该案例自己的截止时间"
    )


# --- public notices ---------------------------------------------------------------------


class NoticeItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    region = RegionRefSerializer()
    province = RegionRefSerializer()
    campaign = CampaignRefSerializer()
    tier = TierRefSerializer(allow_null=True)
    notice_starts = LocalDateTimeField(allow_null=True)
    notice_ends = LocalDateTimeField(allow_null=True)
    url = serializers.SerializerMethodField(help_text="公示页面（可在此提出异议）的路径")

    def get_url(self, case: Case) -> str:
        return f"/notices/{case.pk}/"


class ObjectionInputSerializer(BodySerializer):
    """实名提出异议：JSON，或带证明材料时用 multipart/form-data / an objection, in your real name."""

    # Only types are checked here; `cases.notice.submit_objection` checks the values (after
    # deciding whether the case takes objections at all), so its messages are the only ones.
    name = TextField(help_text="真实姓名（必填，不超过 50 字）")
    phone = TextField(help_text="手机号码或带区号的固定电话（必填）")
    email = TextField(help_text="电子邮箱（必填），处理结果将发送到该邮箱")
    reason = TextField(help_text="异议理由和事实依据（必填，10 至 3000 字）")
    evidence = UploadField(required=False, help_text="可选：证明材料（PDF、Word 等文档）")


class ObjectionReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="受理编号，查询和沟通时请引用")
