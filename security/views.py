"""Admin views: the session clock (status, extend) and TOTP enrolment and verification."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from audit import actions, record
from audit.models import Outcome
from core.net import client_ip

from . import conf, lockout, sessions, totp
from .forms import TOTPCodeForm

# --- the session clock ------------------------------------------------------------------------


def _clock(request) -> JsonResponse:
    left = sessions.remaining(request.session)
    return JsonResponse({
        "remaining": max(0, left.seconds),
        "idle_remaining": max(0, left.idle),
        "absolute_remaining": max(0, left.absolute),
        "warning": int(conf.get("SESSION_EXPIRY_WARNING")),
        "extendable": left.absolute > left.idle,
    })


@never_cache
@require_GET
def session_status(request):
    """How long this session has left; polling it does not count as activity (see middleware)."""
    return _clock(request)


@never_cache
@require_POST
def session_extend(request):
    """The "继续使用" button: counts as activity (never beyond the absolute limit)."""
    sessions.touch(request.session, force=True)
    return _clock(request)


# --- TOTP -------------------------------------------------------------------------------------


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


class TOTPManageView(WagtailAdminTemplateMixin, TemplateView):
    """Enrol an authenticator app (scan, then confirm a code), or remove it."""

    template_name = "security/totp_manage.html"
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not totp.eligible(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("动态口令（两步验证）")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = totp.start_enrolment(self.request.user)
        context.setdefault("form", TOTPCodeForm())
        context.update(device=device, required=bool(conf.get("TOTP_REQUIRED")))
        if not device.confirmed:
            uri = totp.provisioning_uri(device)
            context.update(
                uri=uri,
                secret_groups=" ".join(device.secret[i:i + 4] for i in range(0, len(device.secret), 4)),
                # segno draws the QR code as SVG paths; the only input is the otpauth URI.
                qr_svg=mark_safe(segno.make(uri, error="m").svg_inline(scale=4, title=_("动态口令二维码"))),  # noqa: S308
            )
        return context

    def post(self, request, *args, **kwargs):
        device = totp.start_enrolment(request.user)
        operation = request.POST.get("operation")
        if operation == "regenerate" and not device.confirmed:
            totp.new_secret(device)
            return HttpResponseRedirect(reverse("security_totp"))
        form = TOTPCodeForm(request.POST)
        if form.is_valid() and totp.verify(device, form.cleaned_data["code"]):
            if operation == "disable" and device.confirmed:
                if conf.get("TOTP_REQUIRED"):
                    messages.error(request, _("组织方账号必须使用动态口令，不能停用。"))
                    return HttpResponseRedirect(reverse("security_totp"))
                totp.remove(request.user)
                record(actions.OTP_DISABLED, obj=request.user)
                messages.success(request, _("已停用动态口令。"))
                return HttpResponseRedirect(reverse("security_totp"))
            if device.confirmed:
                record(actions.OTP_ENROLLED, obj=request.user)
                request.session.pop(totp.PENDING_SESSION_KEY, None)
                messages.success(request, _("已启用动态口令，以后登录时需输入身份验证器显示的 6 位数字。"))
                return HttpResponseRedirect(_safe_next(request, reverse("wagtailadmin_home")))
        record(actions.OTP_FAILURE, outcome=Outcome.FAILURE, obj=request.user, details={"step": operation or "confirm"})
        if form.is_valid():
            form.add_error("code", _("动态口令不正确或已使用，请输入身份验证器当前显示的 6 位数字。"))
        return self.render_to_response(self.get_context_data(form=form))


class TOTPVerifyView(WagtailAdminTemplateMixin, TemplateView):
    """The second step of signing in: a 6-digit code; five wrong codes end the session."""

    template_name = "security/totp_verify.html"
    header_icon = "key"

    def get_page_title(self):
        return _("两步验证")

    def dispatch(self, request, *args, **kwargs):
        if not request.session.get(totp.PENDING_SESSION_KEY):
            return HttpResponseRedirect(_safe_next(request, reverse("wagtailadmin_home")))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", TOTPCodeForm())
        context["next"] = _safe_next(self.request, "")
        return context

    def post(self, request, *args, **kwargs):
        form = TOTPCodeForm(request.POST)
        device = totp.confirmed_device(request.user)
        if form.is_valid() and device is not None and totp.verify(device, form.cleaned_data["code"]):
            request.session.pop(totp.PENDING_SESSION_KEY, None)
            request.session.pop(totp.FAILURES_SESSION_KEY, None)
            request.session.cycle_key()
            record(actions.OTP_SUCCESS, obj=request.user)
            return HttpResponseRedirect(_safe_next(request, reverse("wagtailadmin_home")))
        failures = int(request.session.get(totp.FAILURES_SESSION_KEY, 0)) + 1
        request.session[totp.FAILURES_SESSION_KEY] = failures
        record(actions.OTP_FAILURE, outcome=Outcome.FAILURE, obj=request.user, details={"failures": failures})
        if failures >= totp.MAX_CODE_FAILURES:
            user = request.user
            logout(request)
            lockout.register_failure(user.get_username(), client_ip(request))
            messages.error(request, _("动态口令错误次数过多，请重新登录。"))
            return HttpResponseRedirect(reverse("wagtailadmin_login"))
        if form.is_valid():
            form.add_error("code", _("动态口令不正确或已使用，请重试。"))
        return self.render_to_response(self.get_context_data(form=form))
