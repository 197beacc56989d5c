"""Every request made with an integration token is logged after its answer: one insert."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from .authentication import REQUEST_ATTRIBUTE
from .services import integration_token_use_record


class IntegrationTokenUseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token = getattr(request, REQUEST_ATTRIBUTE, None)
        if token is not None:
            integration_token_use_record(
                token=token,
                method=request.method or "",
                path=request.path.replace("\x00", ""),
                status_code=response.status_code,
            )
        return response
