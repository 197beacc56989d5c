"""A domain error that no page view caught is still a refusal to explain, not a crash."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import ApplicationError


class ApplicationErrorMiddleware:
    """Answer an ApplicationError escaping a page view with a page saying its message, with
    its status (403, 409...) instead of a 500. The API has its own handler (core.api)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        response = render(
            request,
            "application_error.html",
            {"error": exception},
            status=exception.status_code,
        )
        retry_after = getattr(exception, "retry_after", None)
        if retry_after:
            response["Retry-After"] = str(retry_after)
        return response
