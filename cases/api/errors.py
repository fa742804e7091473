"""Every API error is `{"detail": "<Chinese message>", ...}` with the status of API.md."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "当前状态下不能进行此操作。"
    default_code = "conflict"


def _flatten(errors, prefix: str = "") -> list[str]:
    """Turn DRF's nested error structure into "字段：信息" lines a person can act on."""
    lines: list[str] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            label = "" if key in ("non_field_errors", "__all__", "detail") else f"{prefix}{key}"
            lines.extend(_flatten(value, f"{label}." if label else prefix) if isinstance(value, dict) else [
                f"{label}：{msg}" if label else str(msg) for msg in _messages(value)
            ])
    else:
        lines.extend(f"{prefix.rstrip('.')}：{m}" if prefix else str(m) for m in _messages(errors))
    return lines


def _messages(value) -> list[str]:
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(_flatten(item) if isinstance(item, dict) else _messages(item))
        return out
    return [str(value)]


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到该对象，或您无权查看。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(_("您的角色无权进行此操作。"))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        lines = _flatten(exc.detail)
        body = {"detail": "；".join(lines) or _("输入有误。"), "errors": exc.detail}
        return Response(body, status=status.HTTP_400_BAD_REQUEST, headers=getattr(response, "headers", None) and {})
    if isinstance(exc, exceptions.NotAuthenticated):
        response.data = {"detail": _("请先登录。")}
    elif isinstance(exc, exceptions.NotFound) and str(exc.detail) in {"Not found.", "未找到。"}:
        response.data = {"detail": _("未找到该对象，或您无权查看。")}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {**response.data, "detail": str(response.data["detail"])}
    return response
