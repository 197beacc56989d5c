"""The one JSON shape of an error, for every DRF view of the project: ``detail`` (a message a
person can read), ``code``, ``field`` when the message belongs to one input, and ``errors``
(messages by input) when a request's body or query breaks several rules at once."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, serializers
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


def _messages(detail) -> list[str]:
    """The messages of a DRF ValidationError's detail (a list, a dict, or nested ones)."""
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _messages(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _messages(value)]
    return [str(detail)]


def _validation_payload(exc: exceptions.ValidationError) -> dict:
    """A serializer's errors in the kernel's shape: the first message as ``detail`` (named
    after its input, as the pages' error summary does), all of them in ``errors``."""
    detail = exc.detail
    if not isinstance(detail, dict):
        return {"detail": _messages(detail)[0], "code": "invalid"}
    errors = {str(name): _messages(value) for name, value in detail.items()}
    field, messages = next(iter(errors.items()))
    payload = {"detail": f"{field} : {messages[0]}", "code": "invalid", "errors": errors}
    if field != "non_field_errors":
        payload["field"] = field
    return payload


def exception_handler(exc, context):
    """REST_FRAMEWORK's EXCEPTION_HANDLER: a domain error becomes its JSON answer with its
    status, never a 500; DRF's own refusals (validation, 401, 403, 404, 405, 415, 429) are
    answered with their status and headers, in the same shape."""
    if isinstance(exc, ApplicationError):
        retry_after = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry_after)} if retry_after else None
        return Response(error_payload(exc), status=exc.status_code, headers=headers)
    # Django's own 404 and 403 (get_object_or_404, a selector's Http404) as DRF's.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_payload(exc)
    else:
        response.data = {"detail": str(exc.detail), "code": _code(exc)}
    return response


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


class ErrorSerializer(serializers.Serializer):
    """The schema of every error answer (the OpenAPI component ``Error``)."""

    detail = serializers.CharField(help_text="The message, as a person reads it.")
    code = serializers.CharField(
        help_text="invalid, not_allowed, not_found, conflict, throttled, not_authenticated, "
        "authentication_failed, permission_denied, method_not_allowed, unsupported_media_type…"
    )
    field = serializers.CharField(required=False, help_text="The input the message is about.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="The messages by input, when several are refused.",
    )
