"""The town's team: invitations to join it (the roles themselves are accounts.TeamRole), and
the town's own audit log of back-office actions."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TeamRole
from core.audit import AuditRecord
from participation.models import MunicipalService, Official, Space


class Invitation(models.Model):
    """An administrator's invitation of a colleague, with the roles (and their scopes) the
    colleague gets on accepting it. Only the key's SHA-256 is kept; the link expires, serves
    once, and a newer invitation to the same address replaces it."""

    email = models.EmailField(_("adresse e-mail"), max_length=254)
    roles = ArrayField(
        models.CharField(max_length=20, choices=TeamRole.Kind.choices), verbose_name=_("rôles")
    )
    spaces = models.ManyToManyField(Space, verbose_name=_("espaces"), blank=True, related_name="+")
    service = models.ForeignKey(
        MunicipalService,
        verbose_name=_("service municipal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    official = models.ForeignKey(
        Official,
        verbose_name=_("élu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    key_hash = models.CharField(_("empreinte de la clé"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acceptée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation dans l'équipe")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open invitation per address: a new one replaces the previous.
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="team_invitation_one_open_per_email",
            ),
            models.CheckConstraint(condition=~models.Q(roles=[]), name="team_invitation_has_roles"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def role_labels(self) -> list[str]:
        return [str(TeamRole.Kind(kind).label) for kind in self.roles]


class TeamSettings(models.Model):
    """The town's rules for its team; one row (pk 1), made when first read."""

    require_admin_totp = models.BooleanField(
        _("exiger la double authentification des administrateurs"), default=False
    )

    class Meta:
        verbose_name = _("réglages de l'équipe")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="team_settings_one")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class AuditEntry(AuditRecord):
    """One back-office action in the town (every POST under /gestion/, recorded by
    participation.team.middleware): who, what (the page's name and the objects of its URL),
    when, from where, and how it ended (the response's status)."""

    path = models.CharField(_("adresse"), max_length=300)
    status_code = models.PositiveSmallIntegerField(_("résultat"))

    class Meta(AuditRecord.Meta):
        verbose_name = _("entrée du journal de la collectivité")
