"""The town's integration tokens: keys its administrators give to the town's own tools (its
website, a data warehouse), each limited to some modules, read or write, until a date; and the
log of every request made with one."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IntegrationToken(models.Model):
    """Only the key's SHA-256 is kept (accounts.tokens.key_hash): the key is shown once, at its
    creation. A request made with it acts as the administrator who created it, within its
    scopes (``<area>:read`` / ``<area>:write``, participation.integrations.scopes)."""

    name = models.CharField(_("nom"), max_length=80)
    # The key's first characters, shown in the list so that the town recognises it.
    prefix = models.CharField(_("début de la clé"), max_length=12)
    key_hash = models.CharField(_("empreinte de la clé"), max_length=64, unique=True)
    scopes = ArrayField(models.CharField(max_length=60), verbose_name=_("portées"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("révoqué par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("jeton d'intégration")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(scopes=[]), name="integration_has_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class IntegrationTokenUse(models.Model):
    """One request made with a token (refused ones too): one row inserted after the answer."""

    token = models.ForeignKey(IntegrationToken, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(_("le"), default=timezone.now)
    method = models.CharField(_("méthode"), max_length=10)
    path = models.CharField(_("adresse"), max_length=300)
    status_code = models.PositiveSmallIntegerField(_("résultat"))

    class Meta:
        verbose_name = _("utilisation d'un jeton d'intégration")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["token", "-at"], name="integration_use_token_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.method} {self.path} {self.status_code}"
