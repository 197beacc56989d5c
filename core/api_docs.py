"""The schema and its documentation page, served by each town at /api/v1/schema/ and
/api/v1/docs/. Apart from core.openapi: drf-spectacular's views import the schema class, which
that module defines."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class SchemaView(SpectacularAPIView):
    """The town's OpenAPI 3 schema (JSON, or YAML when asked for), open to anyone."""

    permission_classes = [AllowAny]
    throttle_classes = []


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI on the schema, its files served by us (no inline script: the CSP holds)."""

    permission_classes = [AllowAny]
    throttle_classes = []
    url_name = "api:schema"
    template_name = "api/docs.html"
