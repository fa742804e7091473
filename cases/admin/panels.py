"""The case form in sections (Wagtail panels): 基本信息 · 案例正文 · 成效与指标 · 图片与附件 · 联系人."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)

from .. import case_fields
from .forms import CaseForm

CONTACT_NOTE = _(
    "联系人信息只有组织方和本地区的推荐单位能看到，任何时候都不会公开，"
    "也不会出现在网站、数据接口或案例汇编中。"
)
INDICATOR_NOTE = _("用数字说明成效，每项写明名称、数值和单位，如“培训人次 12000 人次”；基线值是实施前的数值。")


def case_edit_handler() -> TabbedInterface:
    return TabbedInterface(
        [
            ObjectList(
                [
                    MultiFieldPanel(
                        [FieldPanel("campaign"), FieldPanel("category")],
                        heading=_("征集活动与方向"),
                    ),
                    FieldPanel("title"),
                    FieldPanel("summary"),
                    MultiFieldPanel(
                        [FieldPanel("region"), FieldPanel("organisation"), FieldPanel("organisation_type")],
                        heading=_("地区与申报单位"),
                    ),
                    FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading=_("实施时间")),
                    MultiFieldPanel(
                        [
                            FieldPanel("scenarios"),
                            FieldPanel("task_area"),
                            FieldPanel("key_groups"),
                            FieldPanel("special_project"),
                        ],
                        heading=_("分类"),
                    ),
                ],
                heading=_("基本信息"),
            ),
            ObjectList(
                [FieldPanel(name) for name in case_fields.BODY],
                heading=_("案例正文"),
            ),
            ObjectList(
                [
                    HelpPanel(content=INDICATOR_NOTE),
                    InlinePanel("indicators", label=_("成效指标"), heading=_("成效指标"), max_num=30),
                ],
                heading=_("成效与指标"),
            ),
            ObjectList(
                [HelpPanel(template="cases/admin/panels/case_files.html", heading=_("图片与附件"))],
                heading=_("图片与附件"),
            ),
            ObjectList(
                [
                    HelpPanel(content=CONTACT_NOTE),
                    *(FieldPanel(f.name) for f in case_fields.in_group(case_fields.Group.CONTACT)),
                ],
                heading=_("联系人"),
            ),
        ],
        base_form_class=CaseForm,
    )
