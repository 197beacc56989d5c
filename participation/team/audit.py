"""The town's audit log: every back-office action is recorded at the one place all of them
pass, the request (BackOfficeAuditMiddleware), not by each view; read with filters by the
town's administrators at /gestion/journal/."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django_tenants.utils import get_public_schema_name

from core.audit import audit_fields

from .models import AuditEntry

BACK_OFFICE = "/gestion/"
# Never written to the log, whatever the form (a password typed in a back-office form).
SECRET_FIELDS = {"csrfmiddlewaretoken", "password", "password1", "password2", "token", "key"}


def audit_backoffice_action(request: HttpRequest, response: HttpResponse) -> AuditEntry | None:
    """Record a back-office POST of the current town; None for anything else."""
    if request.method != "POST" or not request.path.startswith(BACK_OFFICE):
        return None
    if connection.schema_name == get_public_schema_name():
        return None
    match = request.resolver_match
    user = getattr(request, "user", None)
    return AuditEntry.objects.create(
        **audit_fields(actor=user, request=request),
        action=(match.view_name if match else "")[:80],
        path=request.path[:300],
        status_code=response.status_code,
        details={
            "objects": {
                **{key: str(value) for key, value in (match.kwargs if match else {}).items()},
                # What the page made, when it says (an integration token's id and name).
                **getattr(request, "audit_objects", {}),
            },
            "fields": sorted(set(request.POST) - SECRET_FIELDS),
            # What the view added (core.audit.audit_details_add).
            **getattr(request, "audit_details", {}),
        },
    )


class BackOfficeAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        audit_backoffice_action(request, response)
        return response


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def audit_entries(filters: AuditFilters) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if filters.actor:
        entries = entries.filter(actor_email__icontains=filters.actor)
    if filters.action:
        entries = entries.filter(action__startswith=filters.action)
    if filters.since:
        entries = entries.filter(at__date__gte=filters.since)
    if filters.until:
        entries = entries.filter(at__date__lte=filters.until)
    return entries


def audit_actions() -> list[str]:
    """The sections of the log (a URL namespace: ideas_admin, team…), for its filter."""
    names = AuditEntry.objects.values_list("action", flat=True).distinct()
    return sorted({name.rsplit(":", 1)[0] for name in names if ":" in name})
