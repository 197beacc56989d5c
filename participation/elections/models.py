"""An election of a neighbourhood council: its settings, its electoral roll and its
candidates. The ballots are not here: they are in the engine's secret ballot box
(``participation.secret_ballots``), under the box name ``box_name(component)``."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.models import Component, ComponentItem, Image


def box_name(component: Component) -> str:
    return f"elections:{component.pk}"


def new_seed() -> str:
    return secrets.token_hex(16)


class Election(models.Model):
    """The rules of the election, fixed before the vote opens."""

    class TieRule(models.TextChoices):
        LOT = "lot", _("Tirage au sort (graine publiée)")
        EARLIEST = "earliest", _("Candidature déposée la première")

    component = models.OneToOneField(Component, on_delete=models.CASCADE, related_name="+")
    seats = models.PositiveSmallIntegerField(_("nombre de sièges"), default=5)
    parity = models.BooleanField(_("parité femmes-hommes (alternance)"), default=False)
    tie_rule = models.CharField(
        _("départage des égalités"), max_length=20, choices=TieRule.choices, default=TieRule.LOT
    )
    # Drawn when the election is made and shown on its page from then on: anyone can re-run
    # the drawing of lots (docs/elections.md).
    seed = models.CharField(_("graine du tirage au sort"), max_length=64, default=new_seed)

    class Meta:
        verbose_name = _("élection")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats__gte=1, seats__lte=99), name="election_seats_1_to_99"
            ),
        ]

    def __str__(self) -> str:
        return str(self.component)


class Elector(ComponentItem):
    """One line of the electoral roll: a verified resident of the neighbourhood, or a person
    of the list the town imported (matched to their account by e-mail address)."""

    class Source(models.TextChoices):
        RESIDENT = "resident", _("résident vérifié")
        IMPORT = "import", _("liste importée")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(_("adresse e-mail"), blank=True)
    last_name = models.CharField(_("nom"), max_length=120, blank=True)
    first_name = models.CharField(_("prénom"), max_length=120, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)

    class Meta:
        verbose_name = _("électeur")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["component", "user"],
                condition=models.Q(user__isnull=False),
                name="elector_account_once",
            ),
            # Addresses are stored in lower case (services), so that a resident's is found
            # by this index.
            models.UniqueConstraint(
                fields=["component", "email"],
                condition=~models.Q(email=""),
                name="elector_email_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    # The roll line's key in the secret ballot box; services._roll_sql builds the same.
    VOTER_PREFIX = "elector:"
    ROLL_FIELDS = ("id", "component", "user", "email", "source")

    @property
    def voter_key(self) -> str:
        return f"{self.VOTER_PREFIX}{self.pk}"


class Candidate(ComponentItem):
    """A resident's candidacy, shown once the town has validated it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente de validation")
        VALIDATED = "validated", _("validée")
        REJECTED = "rejected", _("refusée")
        WITHDRAWN = "withdrawn", _("retirée")

    class Gender(models.TextChoices):
        WOMAN = "f", _("femme")
        MAN = "m", _("homme")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("nom affiché"), max_length=120)
    gender = models.CharField(_("genre"), max_length=1, choices=Gender.choices)
    statement = models.TextField(_("profession de foi"))
    photo = models.ForeignKey(
        Image,
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )

    class Meta:
        verbose_name = _("candidature")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["component", "user"],
                condition=models.Q(user__isnull=False),
                name="candidate_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PaperEntry(ComponentItem):
    """A paper ballot from a polling station, typed by one agent and typed again by another:
    it goes into the box only when both entries agree; a mismatch is flagged for a third
    look. Paper ballots are anonymous: nothing here names an elector."""

    class Status(models.TextChoices):
        TYPED = "typed", _("à retaper")
        COUNTED = "counted", _("compté")
        MISMATCH = "mismatch", _("saisies différentes")

    sheet = models.CharField(_("numéro du bulletin"), max_length=40)
    choices = models.JSONField(default=list)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TYPED)

    class Meta:
        verbose_name = _("bulletin papier")
        ordering = ["sheet"]
        constraints = [
            models.UniqueConstraint(fields=["component", "sheet"], name="paper_entry_sheet_once"),
        ]

    def __str__(self) -> str:
        return self.sheet
