"""A minimal HTTP client for the benchmark's checks: no redirects followed, cookies by hand.

Redirects are returned, not followed, so that a page answering with a redirect to the login
is seen as what it is. `sign_in` goes through the admin's real login form (CSRF included).
"""

from __future__ import annotations

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def fetch(base: str, path: str, *, method: str = "GET", headers: dict | None = None,
          body: bytes | None = None, timeout: float = 30) -> tuple[int, dict, bytes]:
    """(status, lower-cased headers with every Set-Cookie joined by newlines, body)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        out: dict[str, str] = {}
        for name, value in resp.getheaders():
            key = name.lower()
            out[key] = f"{out[key]}\n{value}" if key in out else value
        return resp.status, out, data
    finally:
        conn.close()


def _cookies(headers: dict) -> dict[str, str]:
    jar = SimpleCookie()
    for line in headers.get("set-cookie", "").split("\n"):
        if line:
            jar.load(line)
    return {k: m.value for k, m in jar.items()}


def sign_in(base: str, username: str, password: str) -> str:
    """Sign in through /admin/login/ and return the Cookie header of the signed-in session."""
    status, headers, body = fetch(base, "/admin/login/")
    if status != 200:
        raise RuntimeError(f"login page: HTTP {status}")
    cookies = _cookies(headers)
    token = CSRF_FIELD.search(body.decode("utf-8", "replace"))
    if not token or "csrftoken" not in cookies:
        raise RuntimeError("login page without a CSRF token")
    form = urlencode({"csrfmiddlewaretoken": token.group(1), "username": username, "password": password,
                      "next": "/admin/"}).encode()
    status, headers, body = fetch(base, "/admin/login/", method="POST", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookies['csrftoken']}",
        "Origin": base, "Referer": base + "/admin/login/",
    })
    cookies.update(_cookies(headers))
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"sign-in refused (HTTP {status}); is TOTP required for the secretariat?")
    return "; ".join(f"{k}={v}" for k, v in cookies.items() if k in ("sessionid", "csrftoken"))
