"""The town's integration tokens in the back office: the list and the creation form (the new
key is shown on that answer only), a token's usage log, its revocation."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.guards import permission_required
from core.views import run_action, run_form_action

from . import selectors, services
from .forms import IntegrationTokenForm
from .models import IntegrationToken

PERMISSION = "integrations.manage_tokens"


@permission_required(PERMISSION)
def tokens(request: HttpRequest) -> HttpResponse:
    form = IntegrationTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        made = run_form_action(
            form, lambda: services.integration_token_create(actor=request.user, **form.cleaned_data)
        )
        if made is not None:
            token, new_key = made
            # The audit log (participation.team.audit) names the token made.
            request.audit_objects = {"token_id": str(token.pk), "name": token.name}
            form = IntegrationTokenForm()
    return render(
        request,
        "integrations/tokens.html",
        {"form": form, "tokens": selectors.integration_tokens(), "new_key": new_key},
        status=400 if form.errors else 200,
    )


def _token(request, *args, token_id: int, **kwargs) -> IntegrationToken:
    try:
        return selectors.integration_token(token_id)
    except IntegrationToken.DoesNotExist as exc:
        raise Http404 from exc


@permission_required(PERMISSION, obj=_token)
def token_detail(request: HttpRequest, token: IntegrationToken, token_id: int) -> HttpResponse:
    return render(
        request,
        "integrations/token.html",
        {"token": token, "uses": selectors.integration_token_uses(token)},
    )


@require_POST
@permission_required(PERMISSION, obj=_token)
def token_revoke(request: HttpRequest, token: IntegrationToken, token_id: int) -> HttpResponse:
    run_action(
        request,
        lambda: services.integration_token_revoke(actor=request.user, token_id=token.pk),
        _("Le jeton est révoqué : il ne donne plus accès à l'API."),
    )
    return redirect("integrations:tokens")
