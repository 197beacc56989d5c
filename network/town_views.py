"""The town's side of the hand-over (on the town's host, in its back office): a staff
member's click signs a one-minute token and sends the browser to the network's host, which
opens its own session (network.views.enter). No cookie crosses from one host to another.

A link (GET), not a form: the sites' Content-Security-Policy (form-action 'self') stops a
form's redirect to another host. Nothing changes on the town's side, and a page elsewhere
that makes a staff member's browser follow the link only signs them in as themselves."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.guards import permission_required

from .handover import handover_issue
from .links import NEXT_PARAMETER, landing_path, network_url


@require_GET
@never_cache
@permission_required("network.enter_network")
def enter(request: HttpRequest) -> HttpResponse:
    token = handover_issue(tenant=connection.tenant, user=request.user)
    landing = landing_path(request.GET.get(NEXT_PARAMETER))
    return redirect(
        network_url("enter") + "?" + urlencode({"jeton": token, NEXT_PARAMETER: landing})
    )
