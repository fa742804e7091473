"""The forms of expert review: a pool member's expertise and cap, adding reviewers to the pool,
a reviewer's scores and a declared conflict (回避). They validate and collect values only; the
writes are `cases.review.pool`, `assignment` and `scoring`'s."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..review import pool as pool_service
from ..taxonomies import Scenario, TaskArea
from .display import reviewer_label


class PoolMemberForm(forms.Form):
    expertise_scenarios = forms.MultipleChoiceField(
        label=gettext_lazy("擅长场景"), choices=Scenario.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    expertise_tasks = forms.MultipleChoiceField(
        label=gettext_lazy("擅长任务"), choices=TaskArea.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    load_cap = forms.IntegerField(
        label=gettext_lazy("评审上限（件）"), min_value=1, max_value=1000, initial=30,
        help_text=gettext_lazy("本活动中最多分配给该专家的案例数。"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class AddPoolMemberForm(PoolMemberForm):
    """One or several reviewers at once; the expertise and cap apply to each (editable later)."""

    reviewers = forms.MultipleChoiceField(
        label=gettext_lazy("评审专家（可多选）"), widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("只列出尚未加入本活动专家库的评审专家账号。"),
    )

    field_order = ["reviewers", "expertise_scenarios", "expertise_tasks", "load_cap"]

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(u.pk): u for u in pool_service.available_reviewers(campaign)}
        self.fields["reviewers"].choices = [(pk, reviewer_label(u)) for pk, u in self.candidates.items()]
        self.fields["reviewers"].error_messages.update(
            required=_("请至少选择一位评审专家。"), invalid_choice=_("请选择列表中的评审专家（列表可能已变化，请重新选择）。"),
        )


class ScoreForm(forms.Form):
    """One integer field per rubric criterion (0 to its maximum, blank allowed in a draft) and the
    comment; whether a final submission is complete is `scoring.validate_scores`'s to say."""

    comment = forms.CharField(
        label=gettext_lazy("评审意见"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": "3000", "data-limit": "3000"}),
        help_text=gettext_lazy("写明案例的亮点和不足；组织方可能将意见匿名反馈给申报单位。"),
    )

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for c in rubric:
            self.fields[f"score_{c.code}"] = forms.IntegerField(
                label=f"{c.name}（0–{c.max_score} 分）", required=False, min_value=0, max_value=c.max_score,
                help_text=c.description,
                widget=forms.NumberInput(attrs={"min": 0, "max": c.max_score, "step": 1, "inputmode": "numeric"}),
                error_messages={
                    "invalid": _("请填写整数。"),
                    "min_value": _("分数不能小于 0。"),
                    "max_value": _("分数不能超过 %(max)d。") % {"max": c.max_score},
                },
            )
        self.order_fields([f"score_{c.code}" for c in rubric] + ["comment"])

    def scores(self) -> dict[str, int]:
        return {c.code: self.cleaned_data.get(f"score_{c.code}") for c in self.rubric
                if self.cleaned_data.get(f"score_{c.code}") is not None}

    def score_fields(self):
        return [self[f"score_{c.code}"] for c in self.rubric]


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("回避理由"), max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": "300"}),
        help_text=gettext_lazy("如：曾参与该项目的指导或评估、与申报单位有工作关系等。"),
        error_messages={"required": gettext_lazy("请说明回避理由。")},
    )
