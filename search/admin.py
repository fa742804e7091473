"""The secretariat's 同义词词典 in the Wagtail admin: list, search, add, edit, delete groups.

Saving and deleting go through `search.synonym_edits` (checked, audited, in force at once);
only the secretariat and administrators see it (`cases.permissions.is_staff_role`).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from accounts.roles import Role
from cases import permissions

from . import synonym_edits
from .models import SynonymGroup
from .synonyms import SynonymError, parse_rule


class SynonymPolicy(BasePermissionPolicy):
    """The secretariat and administrators, for every action."""

    def __init__(self, model=SynonymGroup):
        super().__init__(model)

    def user_has_permission(self, user, action: str) -> bool:
        return permissions.is_staff_role(user)

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        return permissions.is_staff_role(user)

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        return SynonymGroup.objects.all() if permissions.is_staff_role(user) else SynonymGroup.objects.none()

    def users_with_any_permission(self, actions) -> QuerySet:
        return get_user_model().objects.filter(is_active=True, role__in=[Role.SECRETARIAT, Role.ADMIN])


class SynonymGroupForm(WagtailAdminModelForm):
    class Meta:
        model = SynonymGroup
        fields = ["terms", "targets", "note", "enabled"]
        widgets = {"terms": forms.TextInput, "targets": forms.TextInput}

    def clean(self):
        data = super().clean()
        try:
            parse_rule(data.get("terms", ""), data.get("targets", ""))
        except SynonymError as exc:
            self.add_error("targets" if data.get("targets") else "terms", str(exc))
        return data


class SynonymCreateView(CreateView):
    def save_instance(self):
        return synonym_edits.save_group(self.form.save(commit=False), by=self.request.user)


class SynonymEditView(EditView):
    def get_object(self, queryset=None):
        group = super().get_object(queryset)
        self.before = synonym_edits.describe(group)  # the form changes the instance in place
        return group

    def save_instance(self):
        return synonym_edits.save_group(self.form.save(commit=False), by=self.request.user, before=self.before)


class SynonymDeleteView(DeleteView):
    def delete_action(self):
        synonym_edits.delete_group(self.object, by=self.request.user)


class SynonymViewSet(ModelViewSet):
    model = SynonymGroup
    name = "synonyms"
    url_prefix = "synonyms"
    icon = "list-ul"
    menu_label = gettext_lazy("同义词词典")
    menu_order = 880
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    add_view_class = SynonymCreateView
    edit_view_class = SynonymEditView
    delete_view_class = SynonymDeleteView
    search_fields = ["terms", "targets", "note"]
    search_backend_name = None
    list_per_page = 50
    list_filter = ["enabled"]
    list_display = [
        Column("terms", label=gettext_lazy("检索词"), accessor="terms"),
        Column("targets", label=gettext_lazy("扩展为（单向）"), accessor="targets"),
        Column("note", label=gettext_lazy("依据"), accessor="note"),
        BooleanColumn("enabled", label=gettext_lazy("启用")),
        DateColumn("updated_at", label=gettext_lazy("修改时间")),
    ]

    def get_form_class(self, for_update: bool = False):
        return SynonymGroupForm
