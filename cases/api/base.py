"""What every API view shares: parsers that never 500, case lookup that never reveals, schema bits."""

from __future__ import annotations

import json

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.permissions import IsAuthenticated

from cases import permissions
from cases.models import Campaign, Case
from cases.states import CampaignStatus
from cases.workflow import NotFound

from .serializers import ErrorSerializer


class SafeJSONParser(parsers.JSONParser):
    """JSON that Python parses but cannot handle (deep nesting, lone surrogates) is a 400, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            # "\ud800" is valid JSON but no valid text: it can be neither stored nor echoed back.
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError:
            raise ParseError(_("JSON 嵌套层级过深。")) from None
        except UnicodeEncodeError:
            raise ParseError(_("请求内容含有无效的 Unicode 字符（代理项）。")) from None
        return data


class ApiMixin:
    parser_classes = [SafeJSONParser, parsers.MultiPartParser, parsers.FormParser]

    def initial(self, request, *args, **kwargs):
        # A method the endpoint does not have is a 405 whoever asks: DRF would first check the
        # sign-in and a session's CSRF token, answering 401 or 403 for a request that cannot work.
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            self.http_method_not_allowed(request, *args, **kwargs)
        super().initial(request, *args, **kwargs)


class SignedInMixin(ApiMixin):
    permission_classes = [IsAuthenticated]


def visible_case_or_404(user, pk: int) -> Case:
    """The case if `user` may see it; otherwise the same 404 whether or not it exists."""
    case = (
        permissions.visible_cases(user)
        .select_related("region", "province", "campaign", "category", "tier")
        .prefetch_related("indicators", "images")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotFound(_("未找到该案例，或您无权查看。"))
    return case


def visible_campaigns(user) -> QuerySet[Campaign]:
    """Campaigns in preparation (draft) are shown to those who configure campaigns only."""
    qs = Campaign.objects.prefetch_related("categories", "tiers")
    if permissions.can_manage_campaigns(user):
        return qs
    return qs.exclude(status=CampaignStatus.DRAFT)


# --- OpenAPI helpers -------------------------------------------------------------------

ERROR_TEXT = {
    400: "输入有误（字段错误见 errors）/ invalid input",
    401: "未登录或令牌无效 / not signed in",
    403: "已登录但该角色无权操作 / this role may not",
    404: "不存在或无权查看 / unknown or not visible",
    409: "当前状态下不可操作 / not possible in the current state",
    429: "请求过于频繁，稍后再试（见 Retry-After）/ rate limited",
    507: "服务器存储空间不足，文件未保存 / the server's storage is full, nothing was saved",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_TEXT[code]) for code in codes}


CASE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="案例编号 / case id")


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.tokens.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "POST /api/v1/auth/token 获取令牌，默认 12 小时后过期。",
        }
