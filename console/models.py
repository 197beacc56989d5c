from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One action of the vendor staff (or of the system on their behalf), kept in the public
    schema: who did what, to which town, from where. Rows are only ever added."""

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
    town = models.ForeignKey(
        "tenants.Tenant",
        verbose_name=_("collectivité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    town_name = models.CharField(_("nom de la collectivité"), max_length=200, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        # The table of its first home (onboarding): moved without copying the log.
        db_table = "onboarding_auditentry"
        verbose_name = _("entrée du journal d'audit")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.action}"

    @property
    def action_label(self) -> str:
        from .audit import audit_action_label  # audit.py imports this module

        return audit_action_label(self.action)
