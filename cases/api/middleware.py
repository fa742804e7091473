"""Every answer under /api/ is JSON in the API's error shape, whoever produced it.

DRF views already answer `{"detail": ...}` (cases/api/errors.py). What answers before or
outside them does not: Django's CSRF refusal (an HTML 403) for a function view, `require_GET`'s
empty 405, the site's HTML 404 for /api/ paths outside /api/v1/, the HTML 500 page. This
middleware rewrites any such error into `{"detail": "<Chinese message>"}` with the same status
and headers (`Allow` of a 405 kept). Paths that match no route never reach a CSRF check at all:
the catch-all `not_found` view is CSRF-exempt (it changes nothing), so a POST to an unknown
path is a 404, not a 403 (docs/hostile-input.md).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "Retry-After", "Cache-Control", "WWW-Authenticate")


def no_route_message() -> str:
    return _("接口地址不存在。")


def method_message(method: str) -> str:
    return _("该地址不支持 %(method)s 请求。") % {"method": method}


def error_detail(request: HttpRequest, status: int) -> str:
    if status == 404:
        return no_route_message()
    if status == 405:
        return method_message(request.method)
    if status == 403:
        return _("请求被拒绝：请刷新页面后重试，或使用 Bearer 令牌调用接口。")
    if status == 413:
        return _("请求内容过大，请精简后重试；文件请用 multipart 上传。")
    if status >= 500:
        return _("服务器暂时无法处理该请求，请稍后重试。")
    return _("请求无效。")


def json_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


class ApiErrorShapeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        shaped = json_error(response.status_code, error_detail(request, response.status_code))
        for header in KEPT_HEADERS:
            if header in response:
                shaped[header] = response[header]
        return shaped
