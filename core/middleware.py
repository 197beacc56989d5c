"""A domain error that no page view caught is still a refusal to explain, not a crash."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
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
        return render(
            request,
            "application_error.html",
            {"error": exception},
            status=exception.status_code,
        )


class StyledNotFoundMiddleware:
    """With DEBUG on (the local setup), Django answers a missing page with its own technical
    page, in English: this shows the site's 404 page instead, as in production, so that what
    a developer sees is what a resident will. Only in the local settings; production never
    runs with DEBUG, and there Django renders 404.html itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No resolver match: the address matched no URL (a view's own 404, an API's JSON
        # answer or a missing media file, keeps its response).
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return _not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return _not_found(request) if isinstance(exception, Http404) else None


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", status=404)
