"""How a page shows a domain error: one way to run a service and flash its outcome, one way to
put its refusal on a form, and one back-office "form → service → redirect" page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control

from .errors import ApplicationError, TooManyRequests

T = TypeVar("T")


def run_action(request: HttpRequest, action: Callable[[], object], success_message: str) -> bool:
    """Run a service (a button without fields): flash ``success_message``, or the service's
    refusal as an error message. True when it succeeded. Too many attempts is not a refusal
    to flash: it becomes its own page with status 429 (core.middleware)."""
    try:
        action()
    except TooManyRequests:
        raise
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, success_message)
    return True


def run_form_action(
    form: forms.Form, action: Callable[[], T], *, error_field: str | None = None
) -> T | None:
    """Run a service with a valid form's data and return what it made; a refusal goes on the
    form instead (``form.errors`` is then set and None returned): on the field it names if the
    form has it, else on ``error_field`` (None: above the form). Too many attempts escapes, to
    be answered with its page and status 429 (core.middleware)."""
    try:
        return action()
    except TooManyRequests:
        raise
    except ApplicationError as exc:
        field = exc.field if exc.field in form.fields else error_field
        form.add_error(field, str(exc))
        return None


def form_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    action: Callable[..., T],
    success_message: str,
    success_url: Callable[[T], str] | str,
    template: str,
    context: Mapping[str, Any],
    error_field: str | None = None,
) -> HttpResponse:
    """The back office's create page: on a valid POST, ``action(**form.cleaned_data)``; its
    success flashes ``success_message`` and redirects (``success_url`` may take what the
    action made), its refusal shows the page again with the message on the form (400)."""
    if request.method == "POST" and form.is_valid():
        made = run_form_action(form, lambda: action(**form.cleaned_data), error_field=error_field)
        if not form.errors:
            messages.success(request, success_message)
            return redirect(success_url(made) if callable(success_url) else success_url)
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


def static_redirect(path: str) -> Callable[[HttpRequest], HttpResponse]:
    """A view sending to a static file, whose address is only known once settings are loaded
    (e.g. /favicon.ico, which browsers ask for on every host)."""

    def view(request: HttpRequest) -> HttpResponse:
        response = redirect(static(path))
        patch_cache_control(response, public=True, max_age=60 * 60 * 24)
        return response

    return view
