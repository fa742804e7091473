"""Every API error is `{"detail": "<Chinese message>", ...}` with the status of docs/api.md §Conventions.

Views let exceptions propagate: the services' `WorkflowError`s carry their own status and
message, Django `ValidationError`s become 400 with per-field `errors`, and DRF's generic
errors get Chinese wording whatever language the client asked for.
"""

from __future__ import annotations

from functools import cache

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cases.models import Case
from cases.workflow import WorkflowError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("当前状态下不能进行此操作。")
    default_code = "conflict"


# Labels for request fields that are not Case model fields (those use their verbose names).
EXTRA_LABELS = {
    "campaign": gettext_lazy("征集活动"),
    "indicators": gettext_lazy("成效指标"),
    "file": gettext_lazy("文件"),
    "alt": gettext_lazy("图片说明"),
    "is_cover": gettext_lazy("封面"),
    "public": gettext_lazy("发布后公开"),
    "kind": gettext_lazy("材料类型"),
    "page": gettext_lazy("页码"),
    "page_size": gettext_lazy("每页条数"),
    "level": gettext_lazy("级别"),
    "parent": gettext_lazy("上级地区"),
    "username": gettext_lazy("用户名"),
    "password": gettext_lazy("密码"),
    "reason": gettext_lazy("理由"),
    "expected_status": gettext_lazy("预期状态"),
    "rank": gettext_lazy("推荐排序"),
    "deadline": gettext_lazy("截止时间"),
    "name": gettext_lazy("名称"),
    "value": gettext_lazy("数值"),
    "unit": gettext_lazy("单位"),
    "baseline": gettext_lazy("基线值"),
    # Reviews, selection and objections.
    "scores": gettext_lazy("评分"),
    "comment": gettext_lazy("评审意见"),
    "final": gettext_lazy("提交"),
    "start": gettext_lazy("公示开始日期"),
    "outcome": gettext_lazy("处理结果"),
    "conclusion": gettext_lazy("核查结论"),
    "phone": gettext_lazy("联系电话"),
    "email": gettext_lazy("电子邮箱"),
    "evidence": gettext_lazy("证明材料"),
}


@cache
def _model_labels() -> dict[str, str]:
    return {f.name: f.verbose_name for f in Case._meta.get_fields() if hasattr(f, "verbose_name")}


def field_label(key) -> str:
    """A person-readable label for an error key: a Chinese field name or "第 n 项" for list items.

    DRF keys list items by their integer position; a string key is always a field name, as the
    client sent it ("3" or "³" are unknown fields, not positions: `'³'.isdigit()` is true, but
    `int('³')` raises).
    """
    if isinstance(key, int) and not isinstance(key, bool):
        return _("第 %(n)d 项") % {"n": key + 1}
    label = EXTRA_LABELS.get(key) or _model_labels().get(key)
    return str(label) if label else str(key)


def _flatten(errors, prefix: str = "") -> list[str]:
    """Turn DRF's nested error structure into "字段：信息" lines a person can act on."""
    lines: list[str] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            label = "" if key in ("non_field_errors", "__all__", "detail") else f"{prefix}{field_label(key)}"
            if isinstance(value, dict):
                lines.extend(_flatten(value, f"{label}·" if label else prefix))
            else:
                lines.extend(f"{label}：{msg}" if label else str(msg) for msg in _messages(value))
    else:
        lines.extend(f"{prefix.rstrip('·')}：{m}" if prefix else str(m) for m in _messages(errors))
    return lines


def _messages(value) -> list[str]:
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(_flatten(item) if isinstance(item, dict) else _messages(item))
        return out
    return [str(value)]


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _generic_detail(exc: exceptions.APIException, context: dict) -> str | None:
    """Chinese wording for DRF's own errors, which would otherwise follow Accept-Language."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("请先登录。")
    if isinstance(exc, exceptions.ParseError) and not _has_chinese(str(exc.detail)):
        return _("请求内容无法解析，请检查 JSON 或表单格式。")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("不支持的请求内容类型，请使用 application/json 或 multipart/form-data。")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("该地址不支持 %(method)s 请求。") % {"method": getattr(context.get("request"), "method", "")}
    if isinstance(exc, exceptions.NotAcceptable):
        return _("无法按请求的格式返回内容，本接口只返回 JSON。")
    if isinstance(exc, exceptions.Throttled):
        return _("请求过于频繁，请稍后再试。")
    if isinstance(exc, exceptions.NotFound) and str(exc.detail) in {"Not found.", "未找到。"}:
        return _("未找到该对象，或您无权查看。")
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF"):
        return _("CSRF 校验失败：请刷新页面后重试，或使用 Bearer 令牌调用接口。")
    if isinstance(exc, exceptions.PermissionDenied) and exc.detail == exceptions.PermissionDenied.default_detail:
        return _("您的角色无权进行此操作。")
    if isinstance(exc, exceptions.AuthenticationFailed) and exc.detail == exceptions.AuthenticationFailed.default_detail:
        return _("认证失败，请重新登录。")
    return None


def exception_handler(exc, context):
    if isinstance(exc, WorkflowError):
        return Response({"detail": exc.message}, status=exc.status)
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": _("请求内容过大，请精简后重试；文件请用 multipart 上传。")}, status=400)
    if isinstance(exc, SuspiciousOperation):
        return Response({"detail": _("请求无效。")}, status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到该对象，或您无权查看。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(_("您的角色无权进行此操作。"))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        lines = _flatten(exc.detail)
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        detail = "；".join(line.rstrip("。；") for line in lines) + "。" if lines else _("输入有误。")
        body = {"detail": detail, "errors": errors}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    detail = _generic_detail(exc, context)
    if detail is not None:
        response.data = {"detail": detail}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {**response.data, "detail": str(response.data["detail"])}
    else:
        response.data = {"detail": str(getattr(exc, "detail", "")) or _("请求有误。")}
    return response
