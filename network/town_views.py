"""The town's side of the hand-over (on the town's host, in its back office): a staff
member's click signs a one-minute token and sends the browser to the network's host, which
opens its own session (network.views.enter). No cookie crosses from one host to another."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.guards import permission_required

from .handover import handover_issue
from .links import network_url


@require_POST
@permission_required("network.enter_network")
def enter(request: HttpRequest) -> HttpResponse:
    token = handover_issue(tenant=connection.tenant, user=request.user)
    return redirect(network_url("enter") + "?" + urlencode({"jeton": token}))
