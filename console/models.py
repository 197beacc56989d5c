from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.audit import AuditRecord


class AuditEntry(AuditRecord):
    """One action of the vendor staff (or of the system on their behalf), kept in the public
    schema: who did what, to which town, from where (core.audit's fields, and the town)."""

    town = models.ForeignKey(
        "tenants.Tenant",
        verbose_name=_("collectivité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    town_name = models.CharField(_("nom de la collectivité"), max_length=200, blank=True)

    class Meta(AuditRecord.Meta):
        # The table of its first home (onboarding): moved without copying the log.
        db_table = "onboarding_auditentry"
        verbose_name = _("entrée du journal d'audit")

    @property
    def action_label(self) -> str:
        from .audit import audit_action_label  # audit.py imports this module

        return audit_action_label(self.action)


class EnrolmentLink(models.Model):
    """A one-time link to enrol a staff member's authenticator, sent by another staff member
    (or printed by ``console_enrolment_link``): the password alone never enrols a device.
    Only the key's SHA-256 is kept; the link is bound to its account, expires, and is spent
    by the enrolment it allows (or replaced by a newer link)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key_hash = models.CharField(_("empreinte de la clé"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("envoyé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("lien d'activation de la double authentification")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
