"""The one JSON shape of a domain error, for every DRF view of the project."""

from __future__ import annotations

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
        retry_after = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry_after)} if retry_after else None
        return Response(error_payload(exc), status=exc.status_code, headers=headers)
    return drf_exception_handler(exc, context)
