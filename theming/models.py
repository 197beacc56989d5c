from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Une couleur s'écrit #RRVVBB, par exemple #1d4ed8.")
)


class SiteTheme(models.Model):
    """The town's branding. One row per town schema (the constraint keeps it single)."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    primary_colour = models.CharField(
        _("couleur principale"), max_length=7, default="#1d4ed8", validators=[hex_colour]
    )
    accent_colour = models.CharField(
        _("couleur d'accent"), max_length=7, default="#b45309", validators=[hex_colour]
    )
    tagline = models.CharField(_("accroche"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to="theme/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thème")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="sitetheme_single_row"),
        ]

    def __str__(self) -> str:
        return f"{self.primary_colour} / {self.accent_colour}"
