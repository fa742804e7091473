"""Account forms: choices limited to what the signed-in user may create."""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from regions.selectors import all_regions, regions_under

from . import permissions, services
from .models import User
from .roles import Role


def _region_field(actor) -> forms.ModelChoiceField:
    if permissions.can_manage_accounts(actor):
        queryset = all_regions()
    else:
        queryset = regions_under(actor.region.province if actor.region_id else None)
    field = forms.ModelChoiceField(
        label=_("所属地区"),
        queryset=queryset,
        required=False,
        empty_label=_("（无）"),
        help_text=_("申报单位：本地区及下辖地区；推荐单位：所在省份；评审专家：所在省份（用于回避）。"),
    )
    field.label_from_instance = lambda region: region.full_name
    return field


class AccountForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("登录用，只能包含字母、数字和 @ . + - _，如 yuexiu01。"),
        error_messages={"required": _("请填写用户名。")},
    )
    name = forms.CharField(
        label=_("姓名"), max_length=150, error_messages={"required": _("请填写姓名。")}
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        help_text=_("设置密码的链接将发送到此邮箱。"),
        error_messages={"required": _("请填写电子邮箱。"), "invalid": _("请填写有效的电子邮箱，如 name@example.cn。")},
    )
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    region = forms.ModelChoiceField(queryset=None, required=False)
    organisation = forms.CharField(label=_("所在单位"), max_length=100, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def __init__(self, *args, actor, editing: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.editing = editing
        roles = services.creatable_roles(actor)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]
        self.fields["region"] = _region_field(actor)
        if editing is not None:
            del self.fields["username"]
            self.initial.update(
                name=editing.first_name, email=editing.email, role=editing.role, region=editing.region_id,
                organisation=editing.organisation, phone=editing.phone,
            )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("用户名“%(name)s”已被使用，请换一个。") % {"name": username})
        return username

    def clean(self):
        cleaned = super().clean()
        role, region = cleaned.get("role"), cleaned.get("region")
        if role in (Role.SUBMITTER, Role.RECOMMENDER) and region is None:
            self.add_error("region", _("申报单位和推荐单位必须选择所属地区。"))
        elif role == Role.RECOMMENDER and region is not None and region.level != "province":
            self.add_error("region", _("推荐单位的所属地区必须是省级行政区。"))
        elif role and self.editing is None and not services.may_create(self.actor, role, region):
            self.add_error("region", _("您只能为本省及下辖地区创建申报单位账号。"))
        return cleaned

    def apply_errors(self, messages: dict[str, list[str]]) -> None:
        mapping = {"first_name": "name"}
        for field, errors in messages.items():
            target = mapping.get(field, field)
            for message in errors:
                self.add_error(target if target in self.fields else None, message)
