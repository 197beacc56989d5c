"""The OpenAPI schema of the API (drf-spectacular): REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS.

Two things every operation shares are added here rather than on each view: the error answers
in the kernel's shape (core.api, the ``Error`` component), and, for a list (core.listing), its
page, filter and ordering parameters and its paginated answer, read from the same
declarations the view checks the query against."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from .api import ErrorSerializer
from .listing import ORDERING_PARAM, ListEndpoint

ERROR_STATUSES = {
    "400": "The request is refused: the message says why (error shape `Error`).",
    "401": "No credentials, or a token that is unknown here, expired or revoked.",
    "403": "Not allowed: the message gives the reason, as the pages do.",
    "404": "Nothing here, or nothing this caller may see.",
    "429": "Too many requests in a while; see the Retry-After header.",
}
# A write may also find the state changed under it (already voted, already answered...).
WRITE_ERROR_STATUSES = {"409": "The state changed: the message says what (already voted...)."}

_paginated: dict[type, type[serializers.Serializer]] = {}


def paginated(item: type[serializers.BaseSerializer], extra=None) -> type[serializers.Serializer]:
    """The serializer of one page of ``item`` (``count``, ``next``, ``previous``,
    ``results``), with the fields of the ``extra`` serializer beside them; one class per
    item, so the schema names it once."""
    if item not in _paginated:
        fields = {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        }
        if extra is not None:
            fields.update({name: field for name, field in extra().fields.items()})
        name = "Paginated" + item.__name__.removesuffix("Serializer") + "List"
        _paginated[item] = type(name, (serializers.Serializer,), fields)
    return _paginated[item]


class AgoraAutoSchema(AutoSchema):
    def _list_view(self) -> ListEndpoint | None:
        if self.method == "GET" and isinstance(self.view, ListEndpoint):
            return self.view
        return None

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        view = self._list_view()
        if view is None:
            return parameters
        parameters += [
            OpenApiParameter("page", int, description="Page number, from 1."),
            OpenApiParameter(
                "page_size",
                int,
                description=f"Items per page (default {view.pagination_class.page_size}, "
                f"at most {view.pagination_class.max_page_size}: a larger size is clamped).",
            ),
        ]
        if view.ordering_fields:
            names = sorted(view.ordering_fields)
            parameters.append(
                OpenApiParameter(
                    ORDERING_PARAM,
                    str,
                    enum=[*names, *(f"-{name}" for name in names)],
                    description="Sort by this field (`-` first: descending).",
                )
            )
        if view.filters_class is not None:
            for name, field in view.filters_class().fields.items():
                parameters.append(
                    OpenApiParameter(
                        name,
                        self._map_serializer_field(field, "request"),
                        description=str(field.help_text or ""),
                    )
                )
        return parameters

    def get_response_serializers(self):
        view = self._list_view()
        if view is not None and not self._has_override("responses"):
            return paginated(view.serializer_class, view.list_extra)
        return super().get_response_serializers()

    def _has_override(self, name: str) -> bool:
        return name in getattr(getattr(self.view, self.method.lower(), None), "kwargs", {})

    def get_operation_id(self) -> str:
        """``…_list`` for a list (its answer is one page object, that drf-spectacular would
        name ``…_retrieve`` like the item's own)."""
        operation_id = super().get_operation_id()
        if self._list_view() is not None:
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        statuses = dict(ERROR_STATUSES)
        if self.method != "GET":
            statuses.update(WRITE_ERROR_STATUSES)
        for status, description in statuses.items():
            if status not in responses:
                response = self._get_response_for_code(ErrorSerializer, status, direction=direction)
                response["description"] = description
                responses[status] = response
        return responses


class TokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <key>`` (accounts.authentication), a key from /api/v1/auth/token/.
    A subclass (the budgets' reads the profile too) is the same scheme: it sets the override
    ``suppress_collision_warning`` so that the schema names it once."""

    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"
    match_subclasses = True

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: a key from POST /api/v1/auth/token/.",
        }
