from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import Invalid

from . import services
from .forms import LoginForm
from .models import User


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "display_name", "role", "email_verified_at", "date_joined"]


class MeView(APIView):
    """The signed-in account, as this town knows it."""

    permission_classes = [IsAuthenticated]
    # A person's own account: never with an integration token (participation.integrations).
    token_scope = None

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="The account's e-mail address.")
    password = serializers.CharField(style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    expires_at = serializers.DateTimeField()


class TokenObtainView(APIView):
    """``username`` (the e-mail address) and ``password`` give a new key, valid
    API_TOKEN_LIFETIME_DAYS days. The same form as the sign-in page checks them, with the same
    lock-out after repeated failures (core.ratelimit)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        form = LoginForm(
            request._request,
            data={"username": data.get("username", ""), "password": data.get("password", "")},
        )
        if not form.is_valid():
            errors = form.errors.get("__all__") or [_("Adresse e-mail et mot de passe requis.")]
            raise Invalid(errors[0])
        token, key = services.api_token_obtain(user=form.get_user())
        return Response(TokenSerializer({"token": key, "expires_at": token.expires_at}).data)
