"""Bearer-token authentication for the API: tokens expire and die with their user."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .models import AccessToken


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if parts[0].lower() != self.keyword.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("认证信息格式不正确，应为 “Bearer <令牌>”。"))
        token = AccessToken.find_live(parts[1])
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效或已过期，请重新登录获取令牌。"))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword
