"""The database unreachable (stopped, restarting, network cut) is a 503 saying so, with
Retry-After, not the generic 500 page. Wherever the error is raised (the town lookup runs
first, before any view), Django ends in the urlconf's handler500 while the exception is being
handled: this handler reads it there."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as default_server_error

logger = logging.getLogger(__name__)

# Seconds a client (or a proxy retrying for it) should wait: about a PostgreSQL restart.
RETRY_AFTER_SECONDS = 10


def database_unreachable(error: BaseException | None) -> bool:
    return isinstance(error, (OperationalError, InterfaceError))


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """Rendered without a request context: no context processor may query the database."""
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": _("Service momentanément indisponible : réessayez dans un instant."),
                "code": "unavailable",
            },
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500 of both URL confs."""
    error = sys.exc_info()[1]
    if database_unreachable(error):
        logger.warning("Base de données injoignable : 503 pour %s (%s)", request.path, error)
        return unavailable_response(request)
    return default_server_error(request)
