"""Signing in with an identity provider: the way out to it, the way back, the link from « Mon
compte », and the logout that ends the provider's session too. Thin views over accounts.oidc
(the protocol) and accounts.identity (the accounts)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.hosts import same_site_url

from . import identity, oidc
from .models import IdentityProvider

PENDING = "oidc_pending"
SIGNED_IN_WITH = "oidc_signed_in_with"
# Several sign-ins may be pending at once (two tabs); each one is forgotten after use.
MAX_PENDING = 5


def _callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("accounts:oidc_callback"))


def oidc_start(request: HttpRequest, provider_id: int) -> HttpResponse:
    """Send the browser to the provider, remembering (in this session only) how to check its
    way back: state, nonce, PKCE verifier."""
    try:
        provider = identity.enabled_provider(provider_id)
        started = oidc.authorisation_request(provider, redirect_uri=_callback_url(request))
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:login")
    pending = dict(list(request.session.get(PENDING, {}).items())[-(MAX_PENDING - 1) :])
    pending[started.state] = {
        "provider": provider.pk,
        "nonce": started.nonce,
        "verifier": started.code_verifier,
        "next": same_site_url(request, request.GET.get("next"), "/"),
    }
    request.session[PENDING] = pending
    return HttpResponseRedirect(started.url)


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "accounts/oidc_refused.html", {"message": message}, status=400)


def oidc_callback(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING, {})
    started = pending.pop(request.GET.get("state", ""), None)
    request.session[PENDING] = pending
    if started is None:
        return _refused(
            request, _("Cette demande de connexion a expiré ou n'a pas été faite depuis ce site.")
        )
    if "error" in request.GET or "code" not in request.GET:
        return _refused(request, _("La connexion a été annulée ou refusée par le fournisseur."))
    current = request.user if request.user.is_authenticated else None
    try:
        provider = identity.enabled_provider(started["provider"])
        claims, info = oidc.identity_claims(
            provider,
            code=request.GET["code"],
            code_verifier=started["verifier"],
            nonce=started["nonce"],
            redirect_uri=_callback_url(request),
        )
        user = identity.identity_sign_in(
            provider=provider, subject=claims["sub"], info={**claims, **info}, current=current
        )
    except ApplicationError as exc:
        return _refused(request, str(exc))
    if current is None:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Vous êtes connecté avec %(name)s.") % {"name": provider.name})
    else:
        messages.success(request, _("Compte lié à %(name)s.") % {"name": provider.name})
    request.session[SIGNED_IN_WITH] = {"provider": provider.pk, "id_token": claims["id_token"]}
    return redirect(started["next"])


@require_POST
def oidc_unlink(request: HttpRequest, provider_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    try:
        identity.identity_unlink(user=request.user, provider_id=provider_id)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Identité déliée."))
    return redirect("accounts:profile")


class LogoutView(auth_views.LogoutView):
    """Django's logout; after a sign-in with a provider that asks for it (FranceConnect), the
    browser then goes to the provider to end its session there too."""

    def post(self, request, *args, **kwargs):
        signed_in_with = request.session.get(SIGNED_IN_WITH)
        response = super().post(request, *args, **kwargs)
        if not signed_in_with:
            return response
        provider = IdentityProvider.objects.filter(pk=signed_in_with["provider"]).first()
        if provider is None:
            return response
        try:
            url = oidc.logout_url(
                provider,
                id_token=signed_in_with["id_token"],
                redirect_uri=request.build_absolute_uri("/"),
            )
        except ApplicationError:
            return response
        return HttpResponseRedirect(url) if url else response
