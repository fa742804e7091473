"""The admin's sign-in form (WAGTAILADMIN_USER_LOGIN_FORM) and the TOTP code form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm, PasswordResetForm

from audit import actions, record
from audit.models import Outcome

from . import ratelimit
from .middleware import lockout_message


class LockoutAwareLoginForm(LoginForm):
    """Wagtail's form with one message for an unknown user, a wrong password or a disabled
    account, and a lockout message (the same whether or not the account exists)."""

    error_messages = {
        **LoginForm.error_messages,
        "invalid_login": _("用户名或密码错误。"),
        "inactive": _("用户名或密码错误。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail leaves the password label to Django's default ("Password", untranslated) and
        # words the placeholder "输入你的 用户名"; ours read as Chinese officials expect.
        self.fields["username"].label = _("用户名")
        self.fields["username"].widget.attrs["placeholder"] = _("请输入用户名")
        self.fields["password"].label = _("密码")
        self.fields["password"].widget.attrs["placeholder"] = _("请输入密码")

    def get_invalid_login_error(self):
        if getattr(self.request, "casebook_auth_refusal", "") == "locked":
            return forms.ValidationError(lockout_message(), code="locked")
        return super().get_invalid_login_error()


class ThrottledPasswordResetForm(PasswordResetForm):
    """Wagtail's forgot-password form (WAGTAILADMIN_USER_PASSWORD_RESET_FORM), with at most
    ACCOUNT_RATE_LIMITS["password_reset_email"] e-mails per account per window. Past it nothing is
    sent, and the page answers exactly as for an unknown address (the per-address limit is the
    `password_reset` rule of RATE_LIMITS, a 429 before the form is read)."""

    def get_users(self, email):
        for user in super().get_users(email):
            verdict = ratelimit.hit_account("password_reset_email", str(user.pk))
            if verdict is None or verdict.allowed:
                yield user
            elif verdict.hits == verdict.rule.limit + 1:  # audited once per window
                record(actions.RATE_LIMITED, obj=user, outcome=Outcome.DENIED,
                       details={"rule": verdict.rule.name, "limit": verdict.rule.limit, "window": verdict.rule.window})


class TOTPCodeForm(forms.Form):
    code = forms.CharField(
        label=_("动态口令"),
        max_length=12,
        help_text=_("身份验证器应用（如 FreeOTP、Google Authenticator、Microsoft Authenticator）显示的 6 位数字。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": ""}),
        error_messages={"required": _("请输入 6 位动态口令。")},
    )
