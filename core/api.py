"""What every DRF view of the project shares: the one JSON shape of a domain error, and the
permission that closes an API view which does not say who may call it."""

from __future__ import annotations

from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError


def error_payload(error: ApplicationError) -> dict[str, str]:
    """The JSON body of a domain error: ``detail`` (the message, as the page shows it),
    ``code``, and ``field`` when the message belongs to one input."""
    payload = {"detail": str(error), "code": error.code}
    if error.field:
        payload["field"] = error.field
    return payload


def exception_handler(exc, context):
    """REST_FRAMEWORK's EXCEPTION_HANDLER: a domain error becomes its JSON answer with its
    status, never a 500; anything else is DRF's."""
    if isinstance(exc, ApplicationError):
        return Response(error_payload(exc), status=exc.status_code)
    return drf_exception_handler(exc, context)


class DenyAll(BasePermission):
    """The default permission: an API view that does not state its own answers 403 (or 401 to
    an anonymous caller), so a forgotten permission closes the view instead of opening it."""

    def has_permission(self, request, view) -> bool:
        return False
