"""The vendor console's audit log: every action of the staff is written here, by the service
that performs it, in the same transaction (an action rolled back leaves no entry)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import User
from core.audit import audit_fields
from tenants.models import Tenant

from .models import AuditEntry

# What each action means, in words, for the log's readers; the apps above the console (billing,
# onboarding, training) add theirs with ``audit_labels_register`` from their ``ready()``.
_ACTION_LABELS: dict[str, Promise] = {
    "console.enrolment_link": _("Lien d'enregistrement du second facteur créé"),
    "console.login": _("Connexion à la console"),
    "console.otp_enrolled": _("Second facteur enregistré"),
    "console.otp_refused": _("Code du second facteur refusé"),
    "console.password_refused": _("Mot de passe refusé"),
    "town.usage_refreshed": _("Chiffres d'utilisation recalculés"),
    "town.component_restored": _("Module retiré rétabli dans un espace"),
}


def audit_labels_register(labels: dict[str, Promise]) -> None:
    _ACTION_LABELS.update(labels)


def audit_action_label(action: str) -> str:
    """The action in words, in the current language; the key itself for an action nobody
    named (an entry written by a version that has since renamed it)."""
    label = _ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def audit_record(
    *,
    actor: User | None,
    action: str,
    town: Tenant | None = None,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    with schema_context(get_public_schema_name()):
        return AuditEntry.objects.create(
            **audit_fields(actor=actor, request=request),
            action=action,
            town=town if town is not None and town.pk else None,
            town_name=town.name if town is not None else "",
            details=details or {},
        )


def audit_entries(
    *, town: Tenant | None = None, action: str = "", actor_email: str = ""
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("town")
    if town is not None:
        entries = entries.filter(town=town)
    if action:
        entries = entries.filter(action__startswith=action)
    if actor_email:
        entries = entries.filter(actor_email__icontains=actor_email)
    return entries
