"""The campaign form (征集活动) for the secretariat: every field, with inline categories, quota
overrides, rubric and tiers, and the cross-section checks a formset alone can't make."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface

from ..campaigns import DEFAULT_RUBRIC
from .widgets import use_native_dates


def _live_forms(formset) -> list:
    """Forms that will be saved: valid, not deleted, not untouched blank extras."""
    live = []
    for i, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        if i >= formset.initial_form_count() and not form.has_changed():
            continue
        live.append(form)
    return live


def _flag_duplicate_codes(formset, message: str) -> bool:
    """Duplicate codes, found from the typed values (the unique check drops cleaned data)."""
    seen: set[str] = set()
    duplicates = False
    for i, form in enumerate(formset.forms):
        if i >= formset.initial_form_count() and not form.has_changed():
            continue
        if formset.can_delete and form["DELETE"].value():
            continue
        code = str(form["code"].value() or "").strip()
        if not code:
            continue
        if code in seen:
            form.errors.setdefault("code", form.error_class()).append(message % {"code": code})
            duplicates = True
        seen.add(code)
    if duplicates:
        # Replace the generic "please correct the duplicate data" with the specific message.
        formset._non_form_errors = formset.error_class([_("代码不能重复，请修改标出的行。")])
    return not duplicates


def _deleted_with_cases(formset, relation: str) -> list:
    return [
        form
        for form in formset.forms[: formset.initial_form_count()]
        if getattr(form, "cleaned_data", {}).get("DELETE")
        and form.instance.pk
        and getattr(form.instance, relation).exists()
    ]


class CampaignForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_native_dates(self)
        rubric = self.formsets.get("rubric")
        if rubric is not None and not self.is_bound and self.instance.pk is None:
            # A new campaign starts from the default rubric (as new, editable rows).
            rubric.extra = len(DEFAULT_RUBRIC)
            rubric.initial_extra = [dict(row) for row in DEFAULT_RUBRIC]

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self._check_sections() and valid

    def _check_sections(self) -> bool:
        ok = True
        rubric = self.formsets.get("rubric")
        categories = self.formsets.get("categories")
        overrides = self.formsets.get("quota_overrides")
        tiers = self.formsets.get("tiers")

        if rubric is not None:
            live = _live_forms(rubric)
            if not live and not rubric.non_form_errors():
                rubric._non_form_errors = rubric.error_class([_("评分标准至少需要一个评分项。")])
                ok = False
            ok &= _flag_duplicate_codes(rubric, _("评分项代码“%(code)s”重复，每个评分项的代码必须不同。"))

        category_codes: set[str] = set()
        if categories is not None:
            ok &= _flag_duplicate_codes(categories, _("征集方向代码“%(code)s”重复。"))
            category_codes = {f.cleaned_data.get("code") for f in _live_forms(categories)}
            for form in _deleted_with_cases(categories, "cases"):
                form.add_error(None, _("征集方向“%(title)s”已有案例，不能删除。") % {"title": form.instance.title})
                ok = False

        if overrides is not None:
            for form in _live_forms(overrides):
                code = form.cleaned_data.get("category_code") or ""
                if code and code not in category_codes:
                    form.add_error(
                        "category_code",
                        _("“%(code)s”不是本活动的征集方向代码；可用的代码：%(codes)s。")
                        % {"code": code, "codes": "、".join(sorted(category_codes)) or _("（尚未设置征集方向）")},
                    )
                    ok = False

        if tiers is not None:
            ok &= _flag_duplicate_codes(tiers, _("入选等级代码“%(code)s”重复。"))
            for form in _deleted_with_cases(tiers, "cases"):
                form.add_error(None, _("入选等级“%(title)s”已有案例，不能删除。") % {"title": form.instance.title})
                ok = False
        return ok


def campaign_edit_handler() -> TabbedInterface:
    return TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("title"),
                    FieldRowPanel([FieldPanel("year"), FieldPanel("batch")]),
                    FieldPanel("slug"),
                    FieldPanel("status"),
                    FieldPanel("call_text"),
                ],
                heading=gettext_lazy("基本信息"),
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("submission_opens"), FieldPanel("submission_closes")]),
                    FieldPanel("time_zone"),
                    InlinePanel("categories", label=gettext_lazy("征集方向"), heading=gettext_lazy("征集方向")),
                    MultiFieldPanel(
                        [FieldPanel("similarity_min_run"), FieldPanel("similarity_threshold")],
                        heading=gettext_lazy("查重"),
                    ),
                ],
                heading=gettext_lazy("申报与征集方向"),
            ),
            ObjectList(
                [
                    FieldPanel("nomination_required"),
                    FieldPanel("default_quota"),
                    InlinePanel(
                        "quota_overrides",
                        label=gettext_lazy("推荐名额调整"),
                        heading=gettext_lazy("推荐名额调整"),
                        help_text=gettext_lazy("为个别省份单独设置名额；征集方向代码留空表示适用于所有方向。"),
                    ),
                ],
                heading=gettext_lazy("推荐名额"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("reviewers_per_case"),
                            FieldPanel("aggregation"),
                            FieldPanel("review_deadline"),
                        ],
                        heading=gettext_lazy("评审安排"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("conflict_same_province"),
                            FieldPanel("conflict_same_organisation"),
                            FieldPanel("hide_organisation_from_reviewers"),
                            FieldPanel("share_comments_with_submitters"),
                        ],
                        heading=gettext_lazy("回避与反馈"),
                    ),
                    InlinePanel(
                        "rubric",
                        label=gettext_lazy("评分项"),
                        heading=gettext_lazy("评分标准"),
                        help_text=gettext_lazy("每项的满分即其权重，总分为各项满分之和。"),
                    ),
                ],
                heading=gettext_lazy("专家评审"),
            ),
            ObjectList(
                [
                    InlinePanel("tiers", label=gettext_lazy("入选等级"), heading=gettext_lazy("入选等级")),
                    FieldPanel("notice_days"),
                ],
                heading=gettext_lazy("入选与公示"),
            ),
        ],
        base_form_class=CampaignForm,
    )
