"""The town's public API: what every resident may read without an account."""

from django.db import connection
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class TownSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    population = serializers.IntegerField()
    status = serializers.CharField()
    # null: every module installed (the town restricts none).
    enabled_modules = serializers.ListField(child=serializers.CharField(), allow_null=True)


class TownView(APIView):
    # The town's public card: anyone may read it, signed in or not.
    permission_classes = [AllowAny]
    # The area an integration token needs here (participation.integrations.scopes).
    token_scope = "spaces"

    @extend_schema(responses=TownSerializer)
    def get(self, request):
        tenant = getattr(connection, "tenant", None)
        if tenant is None or tenant.is_platform:
            raise NotFound()
        return Response(TownSerializer(tenant).data)
