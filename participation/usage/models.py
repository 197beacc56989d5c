from django.db import models
from django.utils.translation import gettext_lazy as _


class UsageSnapshot(models.Model):
    """A town's figures on one day, taken every hour in the town's own schema; the vendor
    console and the town's dashboard chart them over time."""

    day = models.DateField(_("jour"), unique=True)
    registered_citizens = models.PositiveIntegerField(_("citoyens inscrits"))
    verified_citizens = models.PositiveIntegerField(_("citoyens vérifiés"))
    population = models.PositiveIntegerField(_("population"))
    contributions_30d = models.PositiveIntegerField(_("contributions sur 30 jours"), default=0)
    last_admin_login_at = models.DateTimeField(
        _("dernière connexion d'un administrateur"), null=True, blank=True
    )
    # The modules' own town-wide figures (registry's town_figures hook), e.g. answer_days.
    module_figures = models.JSONField(_("chiffres des modules"), default=dict, blank=True)
    taken_at = models.DateTimeField(_("relevé le"), auto_now=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("relevé de fréquentation")

    def __str__(self) -> str:
        return f"{self.day}: {self.registered_citizens}"

    @property
    def registered_share(self) -> float | None:
        """Registered citizens as a share of the population: the figure towns quote."""
        return self.registered_citizens / self.population if self.population else None

    @property
    def registered_percent(self) -> float | None:
        share = self.registered_share
        return None if share is None else share * 100
