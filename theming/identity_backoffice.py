"""The town administrators' page for signing in with FranceConnect or the town's own OpenID
Connect provider (/gestion/site/connexion/). Thin views over accounts.identity."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.identity import identity_provider_save
from accounts.models import IdentityProvider
from core.guards import permission_required
from core.views import run_form_action

identity_admin = permission_required("theming.change_identityprovider")


class IdentityProviderForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=IdentityProvider.Kind.choices)
    name = forms.CharField(label=gettext_lazy("Nom affiché"), max_length=80, required=False)
    environment = forms.ChoiceField(
        label=gettext_lazy("Environnement FranceConnect"),
        choices=IdentityProvider.Environment.choices,
    )
    issuer = forms.URLField(
        assume_scheme="https",
        label=gettext_lazy("Adresse de l'émetteur (issuer)"),
        required=False,
        help_text=gettext_lazy(
            "Fournisseur de la collectivité (Keycloak, Azure AD) : obligatoire. FranceConnect : "
            "laisser vide."
        ),
    )
    client_id = forms.CharField(label=gettext_lazy("Identifiant client"), max_length=200)
    client_secret = forms.CharField(
        label=gettext_lazy("Secret client"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Jamais réaffiché. Vide : le secret enregistré est gardé."),
    )
    staff_only = forms.BooleanField(
        label=gettext_lazy("Réservé à l'équipe de la collectivité"), required=False
    )
    enabled = forms.BooleanField(label=gettext_lazy("Proposer à la connexion"), required=False)


@identity_admin
def identity_providers(request: HttpRequest, provider_id: int | None = None) -> HttpResponse:
    provider = get_object_or_404(IdentityProvider, pk=provider_id) if provider_id else None
    initial = (
        {
            field: getattr(provider, field)
            for field in ("kind", "name", "environment", "issuer", "client_id", "staff_only")
        }
        | {"enabled": provider.enabled}
        if provider
        else {"kind": IdentityProvider.Kind.FRANCECONNECT}
    )
    form = IdentityProviderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        run_form_action(
            form,
            lambda: identity_provider_save(
                actor=request.user, provider=provider, **form.cleaned_data
            ),
        )
        if not form.errors:
            messages.success(request, _("Moyen de connexion enregistré."))
            return redirect("site_admin:identity_providers")
    return render(
        request,
        "theming/backoffice/identity_providers.html",
        {
            "form": form,
            "provider": provider,
            "providers": IdentityProvider.objects.all(),
            "callback_url": request.build_absolute_uri(reverse("accounts:oidc_callback")),
        },
        status=400 if form.errors else 200,
    )
