"""The network figures page of a town's back office (/gestion/reseau/chiffres/)."""

from __future__ import annotations

from django.db import connection
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.guards import permission_required
from core.views import run_action

from .figures import MIN_TOWNS, figures_opt_in, network_comparison


@permission_required("template_library.view_library")
def comparison(request):
    return render(
        request,
        "library/network_figures.html",
        {"comparison": network_comparison(connection.tenant), "min_towns": MIN_TOWNS},
    )


@require_POST
@permission_required("template_library.use_library")
def opt_in(request):
    share = request.POST.get("share") == "1"
    run_action(
        request,
        lambda: figures_opt_in(actor=request.user, town=connection.tenant, opted_in=share),
        _("Votre collectivité partage ses chiffres avec le réseau.")
        if share
        else _("Votre collectivité ne partage plus ses chiffres."),
    )
    return redirect("network_figures:comparison")
