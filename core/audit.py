"""What an audit log keeps of an action, shared by the vendor console's log (public schema,
console.AuditEntry) and each town's (participation.team.AuditEntry): who, what, when, from
where. Rows are only ever added."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .ratelimit import client_address


class AuditRecord(models.Model):
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too: the entry stays readable once the account is gone.
    actor_email = models.CharField(_("compte"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.action}"


def audit_fields(*, actor, request: HttpRequest | None) -> dict:
    """The who and from where of an entry: the account (None for the system or an anonymous
    visitor) and the client's address, through our own proxies only (core.ratelimit: a header
    sent by the client cannot forge the log)."""
    actor = actor if actor is not None and actor.is_authenticated else None
    return {
        "actor": actor,
        "actor_email": actor.email if actor else "",
        "ip_address": (client_address(request) or None) if request is not None else None,
    }


def audit_details_add(request: HttpRequest, **details) -> None:
    """Add to the details the request's audit entry will keep (e.g. the title of a space
    deleted, which its URL no longer names once it is gone)."""
    request.audit_details = {**getattr(request, "audit_details", {}), **details}
