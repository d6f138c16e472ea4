from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import roles_of
from core.signin import signin_authenticate


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
    """Exchange a username and password for an API token (for scripts).

    Wrong passwords are counted per account and per address, with the login page's
    (``core.signin``): past the limit, 429 until the count decays."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    class Input(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False)

    class Output(serializers.Serializer):
        token = serializers.CharField()

    @extend_schema(request=Input, responses=Output)
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        user = signin_authenticate(request, **data.validated_data)
        token, _created = Token.objects.get_or_create(user=user)
        return Response(self.Output({"token": token.key}).data)
