"""The town's public API: what every resident may read without an account."""

from django.db import connection
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from tenants.guards import ContributionsClosed


class TownSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    population = serializers.IntegerField()
    status = serializers.CharField()
    enabled_modules = serializers.ListField(child=serializers.CharField())


class TownView(APIView):
    def get(self, request):
        tenant = getattr(connection, "tenant", None)
        if tenant is None or tenant.is_platform:
            raise NotFound()
        return Response(TownSerializer(tenant).data)


def exception_handler(exc, context):
    """Domain errors become JSON answers with their readable message, never a 500."""
    from participation.errors import NotAllowed, ParticipationError

    if isinstance(exc, ContributionsClosed | NotAllowed):
        return Response({"detail": str(exc)}, status=403)
    if isinstance(exc, ParticipationError):
        return Response({"detail": str(exc)}, status=400)
    return drf_exception_handler(exc, context)
