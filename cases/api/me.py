"""Who the caller is: role, region and organisation, as the rest of the API sees them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .base import SignedInMixin, errors
from .serializers import MeSerializer


class MeView(SignedInMixin, APIView):
    @extend_schema(
        tags=["me"], responses={200: MeSerializer, **errors(401)},
        summary="当前用户 / the signed-in user",
    )
    def get(self, request):
        return Response(MeSerializer(request.user).data)
