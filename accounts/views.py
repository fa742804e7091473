"""Account management in the Wagtail admin (账号管理): thin views over accounts.services.

The secretariat manages every account; a recommender sees and creates its province's
submitters. Anyone else gets a 404 here; Wagtail's own user admin stays with superusers.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import permissions, services
from .forms import AccountForm
from .models import User
from .roles import Role


def may_use_accounts(user) -> bool:
    return bool(services.creatable_roles(user))


class AccountAccessMixin:
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not may_use_accounts(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @property
    def is_staff(self) -> bool:
        return permissions.can_manage_accounts(self.request.user)

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("accounts_admin:index"), "label": _("账号管理")}]
        if self.get_page_title() != _("账号管理"):
            items.append({"url": "", "label": self.get_page_title()})
        return self.breadcrumbs_items + items


class AccountIndexView(AccountAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/index.html"

    def get_page_title(self):
        return _("账号管理")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        users = services.manageable_users(self.request.user)
        query = self.request.GET.get("q", "").strip()
        if query:
            users = users.filter(
                Q(username__icontains=query) | Q(first_name__icontains=query)
                | Q(organisation__icontains=query) | Q(email__icontains=query)
            )
        role = self.request.GET.get("role", "")
        if role in Role.values:
            users = users.filter(role=role)
        page = Paginator(users, 50).get_page(self.request.GET.get("p"))
        context.update(
            page=page, query=query, role=role, roles=Role.choices, is_staff=self.is_staff,
            add_url=reverse("accounts_admin:add"),
        )
        return context


class AccountFormView(AccountAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/form.html"
    account: User | None = None

    def get_form(self, data=None) -> AccountForm:
        return AccountForm(data, actor=self.request.user, editing=self.account)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context["account"] = self.account
        context["cancel_url"] = reverse("accounts_admin:index")
        return context


class AccountCreateView(AccountFormView):
    def get_page_title(self):
        return _("新建账号")

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.create_account(
                    by=request.user, username=data["username"], name=data["name"], email=data["email"],
                    role=data["role"], region=data.get("region"), organisation=data.get("organisation", ""),
                    phone=data.get("phone", ""),
                )
            except ValidationError as exc:
                form.apply_errors(services.validation_messages(exc))
            except services.AccountError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("已创建账号“%(name)s”，设置密码的链接已发送到 %(email)s。")
                    % {"name": user.username, "email": user.email},
                )
                return HttpResponseRedirect(reverse("accounts_admin:index"))
        messages.error(request, _("账号未能创建，请按提示修改。"))
        return self.render_to_response(self.get_context_data(form=form))


class AccountEditView(AccountFormView):
    def get_page_title(self):
        return _("编辑账号")

    def get_page_subtitle(self):
        return self.account.username

    def dispatch(self, request, pk: int, *args, **kwargs):
        if not permissions.can_manage_accounts(request.user):
            raise Http404
        self.account = get_object_or_404(services.manageable_users(request.user), pk=pk)
        return super().dispatch(request, pk, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_account(
                    by=request.user, user=self.account, first_name=data["name"], email=data["email"],
                    role=data["role"], region=data.get("region"), organisation=data.get("organisation", ""),
                    phone=data.get("phone", ""),
                )
            except ValidationError as exc:
                form.apply_errors(services.validation_messages(exc))
            except services.AccountError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("账号“%(name)s”已保存。") % {"name": self.account.username})
                return HttpResponseRedirect(reverse("accounts_admin:index"))
        messages.error(request, _("账号未能保存，请按提示修改。"))
        return self.render_to_response(self.get_context_data(form=form))


class AccountOperationView(AccountAccessMixin, View):
    """POST-only: enable, disable or resend the set-password link."""

    http_method_names = ["post"]

    def post(self, request, pk: int, operation: str):
        account = get_object_or_404(services.manageable_users(request.user), pk=pk)
        try:
            if operation == "disable":
                services.set_active(by=request.user, user=account, active=False)
                messages.success(request, _("已停用账号“%(name)s”，其登录已全部退出。") % {"name": account.username})
            elif operation == "enable":
                services.set_active(by=request.user, user=account, active=True)
                messages.success(request, _("已启用账号“%(name)s”。") % {"name": account.username})
            elif operation == "resend":
                services.resend_set_password(by=request.user, user=account)
                messages.success(
                    request, _("设置密码的链接已重新发送到 %(email)s。") % {"email": account.email or "—"}
                )
            else:
                raise Http404
        except services.AccountError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("accounts_admin:index"))
