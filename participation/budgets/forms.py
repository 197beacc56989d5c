"""Shapes of what the budgets' back office receives; services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.forms import ImageFields
from participation.models import Neighbourhood

from .models import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH, Budget

# The columns' bounds (PositiveSmallIntegerField, PositiveBigIntegerField): a larger number is
# the form's error, not the database's.
MAX_COUNT = 32_767
MAX_EUROS = 10**12


class BudgetForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    amount = forms.IntegerField(label=_("Enveloppe (€)"), min_value=1, max_value=MAX_EUROS)
    neighbourhood = forms.ModelChoiceField(
        label=_("Quartier"),
        queryset=Neighbourhood.objects.all(),
        required=False,
        empty_label=_("Toute la ville"),
    )
    ballot_rule = forms.ChoiceField(label=_("Bulletin"), choices=Budget.BallotRule.choices)
    min_projects = forms.IntegerField(
        label=_("Projets au moins"), min_value=0, max_value=MAX_COUNT, initial=1
    )
    max_projects = forms.IntegerField(
        label=_("Projets au plus"), min_value=1, max_value=MAX_COUNT, required=False
    )
    min_spend_percent = forms.IntegerField(
        label=_("Part minimum de l'enveloppe (%)"), min_value=0, max_value=100, initial=0
    )
    max_points_per_project = forms.IntegerField(
        label=_("Points au plus par projet"), min_value=1, max_value=MAX_COUNT, required=False
    )
    max_points = forms.IntegerField(
        label=_("Points au plus en tout"), min_value=1, max_value=MAX_COUNT, required=False
    )
    result_rule = forms.ChoiceField(
        label=_("Règle de sélection"), choices=Budget.ResultRule.choices
    )
    min_age = forms.IntegerField(label=_("Âge minimum"), min_value=0, max_value=130, required=False)
    census_required = forms.BooleanField(label=_("Réservé à une liste de votants"), required=False)
    secret_ballot = forms.BooleanField(
        label=_("Vote secret"),
        required=False,
        help_text=_(
            "Les bulletins sont enregistrés sans le nom du votant et ne peuvent plus être "
            "modifiés une fois déposés."
        ),
    )


class ProjectForm(ImageFields):
    title = forms.CharField(label=_("Titre"), max_length=TITLE_MAX_LENGTH)
    cost = forms.IntegerField(label=_("Coût (€)"), min_value=0, max_value=MAX_EUROS)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Text: the service checks the place and says what is wrong (tenants.services' messages).
    latitude = forms.CharField(
        label=_("Latitude (facultatif)"),
        required=False,
        max_length=30,
        help_text=_("Pour situer le projet sur la carte : degrés décimaux, par exemple 48,7715."),
    )
    longitude = forms.CharField(label=_("Longitude (facultatif)"), required=False, max_length=30)


class CensusForm(forms.Form):
    file = forms.FileField(label=_("Liste (CSV : nom ; prénom ; date de naissance)"))


class PabulibForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier pabulib (.pb)"),
        help_text=_("UTF-8, au format pabulib.org/format : projets, coûts et bulletins."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pb"}),
    )


class OverrideForm(forms.Form):
    project = forms.IntegerField(widget=forms.HiddenInput)
    selected = forms.TypedChoiceField(
        label=_("Décision"),
        choices=[("1", _("Retenu")), ("0", _("Non retenu"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("Motif (public)"), required=False, max_length=2000)
