"""The page step "type the 6 digits of your app", shared by the console's and the towns'
second-factor pages."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError
from core.hosts import same_site_url


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code à 6 chiffres"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def next_url(request: HttpRequest, fallback: str | None = None) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    return same_site_url(request, target, fallback or reverse("home"))


def token_step(
    request: HttpRequest,
    *,
    check: Callable[..., object],
    template: str,
    context: dict,
    fallback: str | None = None,
) -> HttpResponse:
    """A code's form: on a valid POST, ``check(request=, token=)``; then on to ``next``, or the
    page again with the refusal on the field (400)."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check(request=request, token=form.cleaned_data["token"])
        except ApplicationError as exc:
            form.add_error("token", str(exc))
        else:
            return redirect(next_url(request, fallback))
    context = {**context, "form": form, "next": next_url(request, fallback)}
    return render(request, template, context, status=400 if form.errors else 200)
