"""Security settings with their defaults (config/settings/base.py sets them from the environment).

Every threshold is a plain Django setting so the benchmark profile and tests can change it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Sign-in lockout: 5 failures of one (account, address) pair within the window lock that
    # pair for LOGIN_LOCKOUT_SECONDS; 50 failures from one address lock the address.
    "LOGIN_LOCKOUT_FAILURES": 5,
    "LOGIN_FAILURE_WINDOW_SECONDS": 600,
    "LOGIN_LOCKOUT_SECONDS": 600,
    "LOGIN_IP_MAX_FAILURES": 50,
    # Sessions: idle and absolute limits, and how long before the end the admin warns.
    "SESSION_IDLE_TIMEOUT": 1800,
    "SESSION_ABSOLUTE_TIMEOUT": 12 * 3600,
    "SESSION_EXPIRY_WARNING": 120,
    "SESSION_PASSIVE_PATHS": [r"^/admin/security/session/status/$", r"^/admin/editing-sessions/ping/"],
    # Rate limits (security/ratelimit.py).
    "RATE_LIMITS_ENABLED": True,
    "RATE_LIMITS": [],
    "ACCOUNT_RATE_LIMITS": [],
    # Optional TOTP second factor for the secretariat and administrators.
    "TOTP_ENABLED": False,
    "TOTP_REQUIRED": False,
    "TOTP_ISSUER": "典型案例库",
    # Reverse proxies in front of the app that append to X-Forwarded-For.
    "TRUSTED_PROXY_COUNT": 0,
    # Content-Security-Policy by path (security/headers.py).
    "CONTENT_SECURITY_POLICIES": [],
    "PERMISSIONS_POLICY": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
