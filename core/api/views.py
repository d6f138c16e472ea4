from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.errors import NotAuthenticated
from core.roles import roles_of


class MeApi(APIView):
    """The signed-in user and their roles."""

    class Output(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        full_name = serializers.CharField()
        roles = serializers.ListField(child=serializers.CharField())

    @extend_schema(responses=Output)
    def get(self, request):
        user = request.user
        data = {
            "id": user.id,
            "username": user.username,
            "full_name": user.get_full_name() or user.username,
            "roles": sorted(roles_of(user)),
        }
        return Response(self.Output(data).data)


class TokenApi(APIView):
    """Exchange a username and password for an API token (for scripts)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "pin"

    class Input(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False)

    class Output(serializers.Serializer):
        token = serializers.CharField()

    @extend_schema(request=Input, responses=Output)
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, **data.validated_data)
        if user is None:
            raise NotAuthenticated(_("Tên đăng nhập hoặc mật khẩu không đúng."), code="bad_credentials")
        token, _created = Token.objects.get_or_create(user=user)
        return Response(self.Output({"token": token.key}).data)
