from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .text import render_text

hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Une couleur s'écrit #RRVVBB, par exemple #1d4ed8.")
)


def _one_of(field: str, values) -> models.Q:
    """``field`` equals one of ``values``, written as ORed equalities rather than ``IN``:
    PostgreSQL prints ``varchar IN (...)`` in a form that, replayed by the fast clone of town
    schemas (tenants/clone.py), is stored with other casts; equalities come back unchanged."""
    condition = models.Q()
    for value in values:
        condition |= models.Q(**{field: value})
    return condition


class ThemeFont(models.TextChoices):
    """Open fonts served by the platform itself (static/fonts, SIL Open Font Licence): no
    visitor's address goes to a font host. "system" uses the device's own font."""

    SYSTEM = "system", _("Police du système (la plus rapide)")
    ATKINSON = "atkinson", _("Atkinson Hyperlegible (conçue pour les personnes malvoyantes)")
    LEXEND = "lexend", _("Lexend (lettres espacées, lecture facilitée)")


class ThemeRadius(models.TextChoices):
    SQUARE = "square", _("Angles droits")
    SOFT = "soft", _("Légèrement arrondis")
    ROUND = "round", _("Arrondis")


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
    font = models.CharField(
        _("police"), max_length=20, choices=ThemeFont.choices, default=ThemeFont.SYSTEM
    )
    radius = models.CharField(
        _("angles"), max_length=10, choices=ThemeRadius.choices, default=ThemeRadius.SOFT
    )
    tagline = models.CharField(_("accroche"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to="theme/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thème")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="sitetheme_single_row"),
            models.CheckConstraint(
                condition=_one_of("font", ThemeFont.values), name="sitetheme_font_known"
            ),
            models.CheckConstraint(
                condition=_one_of("radius", ThemeRadius.values), name="sitetheme_radius_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.primary_colour} / {self.accent_colour}"


class LegalPageKind(models.TextChoices):
    LEGAL_NOTICE = "legal_notice", _("Mentions légales")
    ACCESSIBILITY = "accessibility", _("Déclaration d'accessibilité")
    PRIVACY = "privacy", _("Politique de confidentialité")


class RgaaConformity(models.TextChoices):
    """The RGAA's three statuses; a site without an audit must say "non conforme"."""

    NONE = "none", _("non conforme")
    PARTIAL = "partial", _("partiellement conforme")
    FULL = "full", _("totalement conforme")


# Only an audit lets a site declare itself partially or fully conformant.
AUDITED_CONFORMITY = (RgaaConformity.PARTIAL, RgaaConformity.FULL)


class LegalPage(models.Model):
    """One of the pages every public site must show: legal notice, accessibility statement
    (RGAA), privacy policy. At most one of each kind; readable by all once published."""

    Kind = LegalPageKind
    Conformity = RgaaConformity

    # Each kind's address, on the public site and in the back office.
    SLUGS = {
        Kind.LEGAL_NOTICE: "mentions-legales",
        Kind.ACCESSIBILITY: "accessibilite",
        Kind.PRIVACY: "confidentialite",
    }
    AUDITED = AUDITED_CONFORMITY

    kind = models.CharField(_("page"), max_length=20, choices=Kind.choices, unique=True)
    body = models.TextField(_("texte"), blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    conformity = models.CharField(
        _("état de conformité au RGAA"), max_length=10, choices=Conformity.choices, blank=True
    )
    audit_date = models.DateField(_("date de l'audit"), null=True, blank=True)
    accessibility_contact = models.CharField(
        _("contact pour l'accessibilité"), max_length=254, blank=True
    )

    class Meta:
        verbose_name = _("page légale")
        verbose_name_plural = _("pages légales")
        constraints = [
            models.CheckConstraint(
                condition=_one_of("kind", LegalPageKind.values), name="legalpage_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(conformity="")
                | (
                    models.Q(kind=LegalPageKind.ACCESSIBILITY)
                    & _one_of("conformity", RgaaConformity.values)
                ),
                name="legalpage_conformity_of_accessibility",
            ),
            models.CheckConstraint(
                condition=~_one_of("conformity", AUDITED_CONFORMITY)
                | models.Q(audit_date__isnull=False),
                name="legalpage_conformity_needs_audit",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | ~models.Q(body=""),
                name="legalpage_published_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True)
                | ~models.Q(kind=LegalPageKind.ACCESSIBILITY)
                | ~models.Q(conformity=""),
                name="legalpage_published_statement_has_status",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_absolute_url(self) -> str:
        return reverse(f"legal:{self.kind}")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def slug(self) -> str:
        return self.SLUGS[self.kind]

    @property
    def accessibility_contact_href(self) -> str:
        """A link to the contact: e-mail addresses get "mailto:", form addresses are
        http(s) URLs (checked when saved)."""
        contact = self.accessibility_contact
        return contact if contact.startswith(("https://", "http://")) else f"mailto:{contact}"

    def body_html(self) -> SafeString:
        return render_text(self.body)
