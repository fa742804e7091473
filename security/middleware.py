"""Security middleware: response headers, rate limits, session limits and the TOTP step.

Order in MIDDLEWARE (config/settings/base.py):
  SecurityMiddleware → SecurityHeadersMiddleware → RateLimitMiddleware → sessions ... auth
  → SessionLimitMiddleware → AuditContextMiddleware → messages → XFrameOptionsMiddleware
SecurityHeadersMiddleware sits outside XFrameOptionsMiddleware so it sees the final
X-Frame-Options (Wagtail's preview views set SAMEORIGIN) and outside RateLimitMiddleware so
429 answers carry the headers too.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from audit import actions, record
from audit.models import Outcome
from core.net import address_key, client_ip

from . import conf, ratelimit, sessions, totp

# --- headers ----------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _policies(raw: tuple) -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(pattern), policy) for pattern, policy in raw)


def csp_for(path: str, *, frame_ancestors: str, error: bool = False) -> str | None:
    raw = tuple(tuple(p) for p in conf.get("CONTENT_SECURITY_POLICIES"))
    for pattern, policy in _policies(raw):
        if pattern.search(path):
            policy = policy.strip().rstrip(";")
            if error and "style-src 'self'" in policy and "'unsafe-inline'" not in policy:
                # Error pages (website/templates/500.html) are self-contained, with an inline <style>.
                policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            return f"{policy}; frame-ancestors {frame_ancestors}"
    return None


class SecurityHeadersMiddleware:
    """Content-Security-Policy by path (strict for the site and API, looser for Wagtail's admin),
    Permissions-Policy, and nosniff on everything. A response that sets its own CSP (case
    files, Wagtail documents) keeps it. HSTS, Referrer-Policy, COOP and X-Frame-Options come
    from Django's SecurityMiddleware and XFrameOptionsMiddleware (settings)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            xfo = response.get("X-Frame-Options", "DENY").upper()
            policy = csp_for(
                request.path,
                frame_ancestors="'self'" if xfo == "SAMEORIGIN" else "'none'",
                error=response.status_code >= 500,
            )
            if policy:
                response["Content-Security-Policy"] = policy
        if permissions := conf.get("PERMISSIONS_POLICY"):
            response.headers.setdefault("Permissions-Policy", permissions)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


# --- rate limits ------------------------------------------------------------------------------


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def too_many_requests(request, retry_after: int, message: str):
    if wants_json(request):
        response = JsonResponse({"detail": message}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "security/rate_limited.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _wait_phrase(seconds: int) -> str:
    if seconds < 60:
        return _("%(n)d 秒") % {"n": seconds}
    return _("%(n)d 分钟") % {"n": (seconds + 59) // 60}


class RateLimitMiddleware:
    """HTTP 429 past a rule's limit (RATE_LIMITS): sign-in, search, objections by default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if conf.get("RATE_LIMITS_ENABLED"):
            rule = ratelimit.matching_rule(request)
            if rule is not None:
                ip = client_ip(request)
                verdict = ratelimit.hit(rule, address_key(ip))
                if not verdict.allowed:
                    if verdict.hits == rule.limit + 1:  # audit once per window, not every refused request
                        record(actions.RATE_LIMITED, outcome=Outcome.DENIED, ip=ip, request=request,
                               details={"rule": rule.name, "limit": rule.limit, "window": rule.window,
                                        "path": request.path[:300]})
                    message = _("请求过于频繁，请 %(wait)s后再试。") % {"wait": _wait_phrase(verdict.retry_after)}
                    return too_many_requests(request, verdict.retry_after, message)
        return self.get_response(request)


# --- sessions and the TOTP step -------------------------------------------------------------


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


class SessionLimitMiddleware:
    """Ends sessions past the idle or absolute limit; holds TOTP-pending sessions at the code page.

    Also reads the body of POST /api/v1/auth/token up front, so that the authentication backend
    can read an `otp` field beside the password (Django caches the body; DRF reads it again).
    """

    TOKEN_PATH = "/api/v1/auth/token"  # noqa: S105 - a URL path, not a password
    OPEN_WHILE_HELD = ("wagtailadmin_logout", "wagtailadmin_sprite", "wagtailadmin_javascript_catalog")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == self.TOKEN_PATH:
            try:
                request.body  # noqa: B018 - cache the body for the backend's `otp`
            except Exception:  # noqa: S110 - too large or unreadable: the view answers that
                pass
        session = getattr(request, "session", None)
        if sessions.is_signed_in(session):
            expired = self._check_limits(request, session)
            if expired is not None:
                return expired
            held = self._hold_for_totp(request, session)
            if held is not None:
                return held
        response = self.get_response(request)
        return self._explain_token_refusal(request, response)

    # idle / absolute

    def _check_limits(self, request, session):
        now = time.time()
        sessions.start_clock_if_missing(session, now)
        left = sessions.remaining(session, now)
        if left.expired:
            reason = "idle" if left.idle <= 0 else "absolute"
            request.casebook_logout_reason = reason
            logout(request)
            if wants_json(request):
                return None  # the API answers 401 to the now-anonymous request
            messages.warning(
                request,
                _("您已超过 %(n)d 分钟未操作，请重新登录。") % {"n": conf.get("SESSION_IDLE_TIMEOUT") // 60}
                if reason == "idle"
                else _("登录已超过 %(n)d 小时，请重新登录。") % {"n": conf.get("SESSION_ABSOLUTE_TIMEOUT") // 3600},
            )
            return None  # the admin redirects the now-anonymous request to its sign-in page
        if not sessions.is_passive(request.path):
            sessions.touch(session, now)
        return None

    # TOTP

    def _hold_for_totp(self, request, session):
        if not totp.enabled():
            return None
        verify_url = _url("security_totp_verify")
        # What the code and enrolment pages themselves load (the admin fetches its icon sprite
        # and translations by URL), and signing out.
        always = {_url(name) for name in self.OPEN_WHILE_HELD} | {verify_url}
        if request.path in always or request.path.startswith("/static/"):
            return None
        if session.get(totp.PENDING_SESSION_KEY):
            return self._redirect_or_401(request, verify_url, _("请先完成动态口令验证。"))
        if request.path.startswith("/admin/") and totp.must_enrol(request.user):
            enrol_url = _url("security_totp")
            if request.path == enrol_url:
                return None
            return self._redirect_or_401(request, enrol_url, _("组织方账号须先启用动态口令。"))
        return None

    @staticmethod
    def _redirect_or_401(request, url: str, message: str):
        if wants_json(request):
            return JsonResponse({"detail": message}, status=401, json_dumps_params={"ensure_ascii": False})
        target = url
        if request.method == "GET":
            target = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return HttpResponseRedirect(target)

    # the API's sign-in answer

    def _explain_token_refusal(self, request, response):
        """The token view says 401 "用户名或密码错误"; a lockout is a 429 with its own message."""
        if request.path != self.TOKEN_PATH or response.status_code != 401:
            return response
        refusal = getattr(request, "casebook_auth_refusal", "")
        if refusal == "locked":
            return too_many_requests(request, int(conf.get("LOGIN_LOCKOUT_SECONDS")), lockout_message())
        if refusal == "otp":
            return JsonResponse(
                {"detail": _("需要动态口令：请在 otp 字段填写身份验证器显示的 6 位数字。")},
                status=401, json_dumps_params={"ensure_ascii": False},
            )
        return response


def lockout_message() -> str:
    return _("登录失败次数过多，已暂时锁定，请 %(n)d 分钟后再试，或联系组织方解锁。") % {
        "n": max(1, int(conf.get("LOGIN_LOCKOUT_SECONDS")) // 60)
    }
