"""System checks for the security settings."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from . import conf


@register()
def security_settings_check(app_configs, **kwargs):
    problems = []
    backends = getattr(settings, "AUTHENTICATION_BACKENDS", [])
    if "security.backends.LockoutModelBackend" not in backends:
        problems.append(Error("AUTHENTICATION_BACKENDS must include security.backends.LockoutModelBackend "
                              "(sign-in lockout).", id="security.E001"))
    for name in ("LOGIN_LOCKOUT_FAILURES", "LOGIN_LOCKOUT_SECONDS", "LOGIN_IP_MAX_FAILURES",
                 "SESSION_IDLE_TIMEOUT", "SESSION_ABSOLUTE_TIMEOUT"):
        try:
            if int(conf.get(name)) <= 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(Error(f"{name} must be a positive integer.", id="security.E002"))
    if int(conf.get("SESSION_IDLE_TIMEOUT")) > int(conf.get("SESSION_ABSOLUTE_TIMEOUT")):
        problems.append(Warning("SESSION_IDLE_TIMEOUT is longer than SESSION_ABSOLUTE_TIMEOUT.", id="security.W001"))
    if getattr(settings, "SESSION_COOKIE_AGE", 0) > int(conf.get("SESSION_ABSOLUTE_TIMEOUT")):
        problems.append(Warning("SESSION_COOKIE_AGE outlives SESSION_ABSOLUTE_TIMEOUT; set them equal.",
                                id="security.W002"))
    return problems
