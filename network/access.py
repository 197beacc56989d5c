"""Who is the network member of a request on the platform's host: the vendor's staff signed
in to the console (password and TOTP), or a town's staff member whose hand-over opened the
network's own session (its keys below, on this host's session only)."""

from __future__ import annotations

import time
from functools import wraps

from django.http import HttpRequest
from django.shortcuts import render

from console.access import is_vendor_staff
from tenants.models import Tenant

from .members import member_sync
from .models import NetworkMember

SESSION_MEMBER = "network_member"
SESSION_ENTERED_AT = "network_entered_at"
# A hand-over opens the network for a working day; then the back office's link again (the
# account's role is read anew at each hand-over).
SESSION_HOURS = 10


def member_sign_in(request: HttpRequest, member: NetworkMember) -> None:
    request.session.cycle_key()  # a new session key: no fixation from before the hand-over
    request.session[SESSION_MEMBER] = member.pk
    request.session[SESSION_ENTERED_AT] = int(time.time())


def member_sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_MEMBER, None)
    request.session.pop(SESSION_ENTERED_AT, None)


def current_member(request: HttpRequest) -> NetworkMember | None:
    user = request.user
    if is_vendor_staff(user) and user.is_verified():
        return NetworkMember.objects.filter(vendor_user=user).first() or member_sync(
            vendor_user=user
        )
    member_id = request.session.get(SESSION_MEMBER)
    entered_at = request.session.get(SESSION_ENTERED_AT, 0)
    if member_id is None or time.time() - entered_at > SESSION_HOURS * 3600:
        return None
    return (
        NetworkMember.objects.select_related("tenant")
        .filter(pk=member_id, tenant__status__in=Tenant.SERVED_STATUSES)
        .first()
    )


def member_required(view):
    """The view with ``request.member`` set; anyone else gets the page saying how to enter
    (403): from their town's back office, or signed in to the console."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        member = current_member(request)
        if member is None:
            return render(request, "network/no_access.html", status=403)
        request.member = member
        return view(request, *args, **kwargs)

    return wrapped
