"""Refusing input no layer below can handle: NUL characters and text that is not UTF-8.

PostgreSQL refuses NUL in text (every query with one would be a 500), XML and spreadsheets
refuse it too, and a path or query string whose percent-encoding is not UTF-8 is garbage that
Django would silently turn into U+FFFD. One check before any view runs answers such a request
with 400 and a Chinese message, for every page, form and API endpoint alike: the URL path, the
query string, cookies, form fields and uploaded file names (urlencoded and multipart POST) and
JSON bodies (keys and values, at any depth).

It sits early in MIDDLEWARE (after the security headers, before rate limits and sessions, which
write the path and the session key to the database).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import unquote_to_bytes

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BadInput(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the parameter, form field or top-level JSON key, when it has a name


def _nul_message(where: str) -> str:
    return _("%(where)s含有空字符（\\x00），无法处理。请删除该字符后重试。") % {"where": where}


def _encoding_message(where: str) -> str:
    return _("%(where)s的编码无效（应为 UTF-8），无法处理。请检查链接或重新输入。") % {"where": where}


def check_text(value: str, where: str, field: str | None = None) -> None:
    if NUL in value:
        raise BadInput(_nul_message(where), field if field and NUL not in field else None)


def check_path(request: HttpRequest) -> None:
    """Django re-percent-encodes the bytes of a path that are not UTF-8 (`%C0`): decoding once
    more finds them. No URL of the site has a `%` of its own (slugs, numbers, Wagtail slugs)."""
    try:
        path = unquote_to_bytes(request.path_info).decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(_encoding_message(_("网址"))) from None
    check_text(path, _("网址"))


def query_pairs(raw: str) -> Iterator[tuple[str, str]]:
    """Each decoded (name, value) of a raw query string; UnicodeDecodeError when one is not UTF-8."""
    data = raw.encode("latin-1", "replace")  # WSGI strings carry the raw bytes as latin-1
    for pair in data.split(b"&"):
        key, _sep, value = pair.partition(b"=")
        yield tuple(unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8") for part in (key, value))


def check_query(request: HttpRequest) -> None:
    try:
        pairs = list(query_pairs(request.META.get("QUERY_STRING", "")))
    except UnicodeDecodeError:
        raise BadInput(_encoding_message(_("网址参数"))) from None
    for key, value in pairs:
        check_text(key, _("网址参数"))
        check_text(value, _("网址参数"), key)


def check_cookies(request: HttpRequest) -> None:
    for name, value in request.COOKIES.items():
        check_text(name + value, _("Cookie"))


def check_form(request: HttpRequest) -> None:
    """Fields and file names of a POSTed form. A body Django cannot parse is left to the view."""
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return
    try:
        fields, files = request.POST, request.FILES
    except (SuspiciousOperation, MultiPartParserError):
        return  # too big, too many fields, malformed: the view answers as it always did
    for key, values in fields.lists():
        check_text(key, _("表单字段"))
        for value in values:
            check_text(value, _("表单内容"), key)
    for key, uploaded in files.lists():
        check_text(key, _("表单字段"))
        for f in uploaded:
            check_text(f.name or "", _("上传文件的文件名"), key)


def _strings(value) -> Iterator[tuple[str | None, str]]:
    """(top-level key, text) for every key and string in a JSON value, at any depth."""
    top = value.items() if isinstance(value, dict) else [(None, value)]
    for field, item in top:
        if field is not None:
            yield None, field
        stack = [item]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                yield field, item
            elif isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)


def check_json(request: HttpRequest) -> None:
    """NUL anywhere in a JSON body; a body that is not JSON is left to the view (its own 400)."""
    if request.method not in {"POST", "PUT", "PATCH"} or request.content_type != "application/json":
        return
    try:
        data = json.loads(request.body)
    except (SuspiciousOperation, ValueError, RecursionError):
        return
    for field, text in _strings(data):
        check_text(text, _("请求内容"), field)


CHECKS = (check_path, check_query, check_cookies, check_form, check_json)


def refusal(request: HttpRequest, exc: BadInput) -> HttpResponse:
    if request.path_info.startswith("/api/"):  # the API's error shape (docs/api.md §Conventions): detail, errors by field
        body = {"detail": exc.message, **({"errors": {exc.field: [exc.message]}} if exc.field else {})}
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    message = exc.message
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            for check in CHECKS:
                check(request)
        except BadInput as exc:
            return refusal(request, exc)
        return self.get_response(request)
