"""Participatory budgets: an envelope, projects with a cost, one ballot per voter.

Amounts and costs are whole euros (as pabulib stores them). One ballot per voter and budget
is a database constraint, on the account (``voter``) and on ``voter_key`` (also filled for
imported anonymous voters and paper ballots).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.models import Component, ComponentItem, Image, Neighbourhood

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 20_000


def new_salt() -> str:
    return secrets.token_hex(16)


def new_receipt() -> str:
    """A code the voter keeps to check their ballot was recorded (no 0/O, 1/I confusion)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    code = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


class Budget(ComponentItem):
    class BallotRule(models.TextChoices):
        APPROVAL = "approval", _("Approbation (cocher de k à n projets)")
        KNAPSACK = "knapsack", _("Sac à dos (sélection dans la limite de l'enveloppe)")
        RANKED = "ranked", _("Classement (jusqu'à k projets)")
        CUMULATIVE = "cumulative", _("Points à répartir")

    class ResultRule(models.TextChoices):
        GREEDY = "greedy", _("Les plus soutenus d'abord, dans la limite de l'enveloppe")
        MES = "mes", _("Méthode des parts égales (complétée par les plus soutenus)")

    title = models.CharField(_("titre"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("présentation"), blank=True)
    amount = models.PositiveBigIntegerField(_("enveloppe (€)"))
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("quartier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Vide : budget de toute la ville."),
    )
    ballot_rule = models.CharField(
        _("bulletin"), max_length=20, choices=BallotRule.choices, default=BallotRule.APPROVAL
    )
    min_projects = models.PositiveSmallIntegerField(_("nombre de projets minimum"), default=1)
    max_projects = models.PositiveSmallIntegerField(
        _("nombre de projets maximum"), null=True, blank=True
    )
    min_spend_percent = models.PositiveSmallIntegerField(
        _("part minimum de l'enveloppe à utiliser (%)"), default=0
    )
    max_points_per_project = models.PositiveSmallIntegerField(
        _("points au plus par projet"), null=True, blank=True
    )
    max_points = models.PositiveSmallIntegerField(
        _("points au plus en tout"), null=True, blank=True
    )
    result_rule = models.CharField(
        _("règle de sélection"), max_length=10, choices=ResultRule.choices, default="greedy"
    )
    min_age = models.PositiveSmallIntegerField(_("âge minimum"), null=True, blank=True)
    census_required = models.BooleanField(_("réservé aux inscrits sur la liste"), default=False)
    # The ballots go to the engine's secret box (budgets.secret): not changeable once cast.
    secret_ballot = models.BooleanField(_("vote secret"), default=False)
    # Key of the census digests: the list uploaded for one budget is useless for another.
    census_salt = models.CharField(max_length=64, default=new_salt, editable=False)
    results_published_at = models.DateTimeField(_("résultats publiés le"), null=True, blank=True)
    # The selection as published (project ids), so the public results never move afterwards.
    published_selection = models.JSONField(default=list, blank=True, editable=False)
    # The pabulib META of an imported budget, written back on export (open data).
    external_meta = models.JSONField(default=dict, blank=True, editable=False)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("budget")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_spend_percent__lte=100),
                name="budgets_budget_min_spend_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(max_projects__isnull=True)
                | models.Q(max_projects__gte=models.F("min_projects")),
                name="budgets_budget_max_projects_above_min",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.results_published_at is not None


class Project(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("titre"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)
    cost = models.PositiveBigIntegerField(_("coût (€)"))
    image = models.ForeignKey(
        Image,
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The pabulib project_id of imported data (and of exports).
    external_id = models.CharField(_("identifiant externe"), max_length=100, blank=True)
    # Other pabulib columns of an imported project, written back on export.
    fields = models.JSONField(default=dict, blank=True, editable=False)
    # A proposal of the ideas module this project comes from (no foreign key: the modules stay
    # independent; the ideas module follows it through ``on_results_published``).
    proposal_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Where the project would be made (both or neither): the town's map shows it.
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("projet")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "external_id"],
                condition=~models.Q(external_id=""),
                name="budgets_project_external_id_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Ballot(models.Model):
    class Source(models.TextChoices):
        ONLINE = "online", _("En ligne")
        PAPER = "paper", _("Papier")
        IMPORT = "import", _("Import")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "user:<pk>" online, "paper:<pk>" on paper, "pb:<voter_id>" imported: one ballot per key.
    voter_key = models.CharField(max_length=120)
    receipt = models.CharField(_("reçu"), max_length=20, default=new_receipt)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ONLINE)
    # Census digest the voter proved (one ballot per person on the list, whatever the account).
    census_digest = models.CharField(max_length=64, blank=True, editable=False)
    # Other pabulib columns of an imported vote (age, district...), written back on export.
    fields = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("bulletin")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "voter"], name="budgets_ballot_once_per_voter"
            ),
            models.UniqueConstraint(
                fields=["budget", "voter_key"], name="budgets_ballot_once_per_key"
            ),
            models.UniqueConstraint(
                fields=["budget", "census_digest"],
                condition=~models.Q(census_digest=""),
                name="budgets_ballot_once_per_census_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter_key} → {self.budget_id}"


class NeighbourhoodVoter(models.Model):
    """The one neighbourhood a resident votes in during a campaign (a budgets component),
    written with their first ballot in one of its neighbourhood budgets. Eligibility for the
    campaign's neighbourhood budgets follows it, not the profile: a neighbourhood changed in
    the profile while the vote is open opens no other neighbourhood's ballot."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quartier de vote")
        constraints = [
            models.UniqueConstraint(
                fields=["component", "voter"], name="budgets_one_neighbourhood_per_campaign"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.neighbourhood_id}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    # Indexed by (project, ballot) below: the Method of Equal Shares reads each project's
    # ballots from that index alone (``ballot_box.supporters``), the foreign key's lookups too.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="choices", db_index=False
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    points = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["rank", "pk"]
        indexes = [models.Index(fields=["project", "ballot"], name="budgets_choice_by_project")]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "project"], name="budgets_choice_once"),
            models.CheckConstraint(
                condition=models.Q(rank__isnull=True) | models.Q(rank__gte=1),
                name="budgets_choice_rank_from_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} → {self.project_id}"


class CensusEntry(models.Model):
    """One person allowed to vote: an HMAC of the normalised last name, first name and birth
    date, keyed with the budget's salt. The names themselves are never stored."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="census")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["budget", "digest"], name="budgets_census_once"),
        ]

    def __str__(self) -> str:
        return self.digest[:8]


class PaperBallot(models.Model):
    """A paper ballot typed in twice, by two agents, the second without seeing the first
    entry. It counts (``ballot`` is then the ballot it became) when both entries are the same;
    two different entries are flagged (``mismatch``) until a town administrator says which
    ballot is right (``resolved_by``)."""

    class Status(models.TextChoices):
        TYPED = "typed", _("à retaper par un second agent")
        MISMATCH = "mismatch", _("saisies différentes")
        COUNTED = "counted", _("compté")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="paper_ballots")
    polling_station = models.CharField(_("bureau de vote"), max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TYPED)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The second agent.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [[project_id, value or null], ...] as the first agent typed it.
    choices = models.JSONField(default=list)
    # The same, as the second agent typed it (None until then).
    second_choices = models.JSONField(null=True, blank=True)
    entered_at = models.DateTimeField(auto_now_add=True)
    # When it started to count.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The ballot the administrator found right (an entry's, or typed by them).
    resolved_choices = models.JSONField(null=True, blank=True)
    ballot = models.OneToOneField(
        Ballot, null=True, blank=True, on_delete=models.SET_NULL, related_name="paper"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("bulletin papier")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True)
                | ~models.Q(confirmed_by=models.F("entered_by")),
                name="budgets_paper_confirmed_by_another_agent",
            ),
            # Counted exactly when it has its counting time.
            models.CheckConstraint(
                condition=models.Q(status="counted", confirmed_at__isnull=False)
                | (~models.Q(status="counted") & models.Q(confirmed_at__isnull=True)),
                name="budgets_paper_counted_when_confirmed",
            ),
            # Typed once: no second entry yet; otherwise the second entry is there.
            models.CheckConstraint(
                condition=models.Q(status="typed", second_choices__isnull=True)
                | (~models.Q(status="typed") & models.Q(second_choices__isnull=False)),
                name="budgets_paper_second_entry_after_first",
            ),
            # Only a mismatch is resolved, and a resolved ballot counts.
            models.CheckConstraint(
                condition=models.Q(resolved_choices__isnull=True)
                | models.Q(status="counted", resolved_by__isnull=False),
                name="budgets_paper_resolved_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.polling_station} #{self.pk}"


class ResultOverride(models.Model):
    """A decision of the town against the computed result (project found infeasible, legal
    obligation...); its reason is shown publicly next to the results."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="overrides")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    selected = models.BooleanField(_("retenu"))
    reason = models.TextField(_("motif (public)"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "project"], name="budgets_override_once"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="budgets_override_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.selected}"
