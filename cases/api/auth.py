"""Bearer tokens: sign in with a username and password, sign out by revoking the token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import AccessToken
from accounts.tokens import BearerTokenAuthentication

from .base import ApiMixin, errors
from .fields import local_iso
from .inputs import SignInSerializer
from .serializers import TokenSerializer


class TokenView(ApiMixin, APIView):
    # Only Bearer: a browser's session cookie must not make signing in depend on CSRF.
    authentication_classes = [BearerTokenAuthentication]

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else [AllowAny()]

    def perform_authentication(self, request):
        # Signing in needs no prior identity: a stale token in the header must not get in the way.
        if request.method == "DELETE":
            super().perform_authentication(request)

    @extend_schema(
        tags=["auth"], auth=[], request=SignInSerializer,
        responses={200: TokenSerializer, **errors(400, 401, 429)},
        summary="登录，获取令牌 / sign in for a Bearer token",
        description="用户名或密码错误、账号已停用时统一返回 401，信息相同。",
    )
    def post(self, request):
        form = SignInSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = authenticate(
            request._request, username=form.validated_data["username"], password=form.validated_data["password"]
        )
        if user is None or not user.is_active:
            raise AuthenticationFailed(_("用户名或密码错误。"))
        token, raw = AccessToken.issue(user)
        return Response({"token": raw, "expires_at": local_iso(token.expires_at)})

    @extend_schema(
        tags=["auth"], request=None,
        responses={204: OpenApiResponse(description="令牌已作废 / revoked"), **errors(401)},
        summary="退出，作废当前令牌 / revoke the current token",
    )
    def delete(self, request):
        if isinstance(request.auth, AccessToken):
            request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
