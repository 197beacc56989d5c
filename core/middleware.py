"""A domain error that no page view caught is still a refusal to explain, not a crash; input
that no person types is refused before any view sees it."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .api import error_payload
from .errors import ApplicationError
from .input import ensure_clean_strings, has_forbidden_characters, strip_forbidden_characters


def _error_response(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse(error_payload(error), status=error.status_code)
    return render(request, "application_error.html", {"error": error}, status=error.status_code)


class ForbiddenCharactersMiddleware:
    """One place for every form and API write: a NUL or a lone surrogate in the form fields
    or the uploaded files' names is a 400 with a French message (core.input says why refused
    rather than stripped); in the path it names nothing, a 404. In the query string (filters,
    searches: nothing is stored) such characters are dropped, and the page answers. JSON
    bodies are checked by the API's parser (core.parsers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_forbidden_characters(request.path_info):
            raise Http404
        if any(map(has_forbidden_characters, _query_strings(request))):
            request.GET = _without_forbidden_characters(request.GET)
        if request.method == "POST":
            try:
                ensure_clean_strings(_form_strings(request))
            except ApplicationError as error:
                return _error_response(request, error)
        return self.get_response(request)


def _query_strings(request: HttpRequest):
    for key, values in request.GET.lists():
        yield key
        yield from values


def _form_strings(request: HttpRequest):
    for key, values in request.POST.lists():
        yield key
        yield from values
    for key, files in request.FILES.lists():
        yield key
        yield from (uploaded.name or "" for uploaded in files)


def _without_forbidden_characters(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(strip_forbidden_characters(key), map(strip_forbidden_characters, values))
    cleaned._mutable = False
    return cleaned


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


class PrivatePagesMiddleware:
    """``Cache-Control: no-store`` on pages that hold one person's or one town's data: the
    back office, account and profile pages, "mes données" and its export
    (PRIVATE_PATH_PREFIXES), and every page of the vendor console. A shared computer's
    browser history or a proxy must not keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._is_private(request):
            patch_cache_control(response, no_store=True, private=True)
        return response

    @staticmethod
    def _is_private(request: HttpRequest) -> bool:
        path = request.path_info
        if path.startswith(("/static/", "/healthz")):
            return False
        tenant = getattr(request, "tenant", None)
        return path.startswith(settings.PRIVATE_PATH_PREFIXES) or bool(
            tenant is not None and tenant.is_platform
        )
