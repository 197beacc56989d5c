"""Shapes of what the ideas' pages receive; services decide what is allowed and valid (their
messages name the problem), so text fields here only carry the browser's hints."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.forms import ImageFields, text_field
from participation.models import MunicipalService, Neighbourhood

from .models import (
    ADDRESS_MAX_LENGTH,
    CATEGORY_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SERVICE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
    Proposal,
)


def _text(label, max_length, *, textarea=False, rows=6, **kwargs):
    return text_field(label, max_length, rows=rows if textarea else None, **kwargs)


def _number(label, **kwargs):
    return forms.DecimalField(
        label=label,
        required=False,
        localize=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        **kwargs,
    )


class ProposalForm(ImageFields):
    title = _text(
        _("Titre"),
        TITLE_MAX_LENGTH,
        help_text=_("%(max)d caractères au plus.") % {"max": TITLE_MAX_LENGTH},
    )
    description = _text(
        _("Description"),
        DESCRIPTION_MAX_LENGTH,
        textarea=True,
        rows=8,
        help_text=_("Ce que vous proposez, pour qui, pourquoi (%(max)d caractères au plus).")
        % {"max": DESCRIPTION_MAX_LENGTH},
    )
    category = forms.ModelChoiceField(
        label=_("Catégorie"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("— Choisir —"),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Quartier"),
        queryset=Neighbourhood.objects.all(),
        required=False,
        empty_label=_("— Toute la ville —"),
    )
    address = _text(
        _("Adresse ou lieu"),
        ADDRESS_MAX_LENGTH,
        required_hint=False,
        help_text=_("Par exemple : « devant l'école Jean-Moulin, rue des Lilas »."),
    )
    latitude = _number(_("Latitude"))
    longitude = _number(_("Longitude"))
    estimated_cost = _number(
        _("Coût estimé en euros (facultatif)"),
        help_text=_("Si vous en avez une idée ; les services de la ville l'estimeront aussi."),
    )

    def __init__(self, *args, component, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(component=component)


class ListFilterForm(forms.Form):
    """The list's GET filters: an unknown value is ignored rather than refused."""

    category = forms.ModelChoiceField(
        label=_("Catégorie"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Toutes"),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Quartier"),
        queryset=Neighbourhood.objects.all(),
        required=False,
        empty_label=_("Tous"),
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[("", _("Tous")), *Proposal.Status.choices],
        required=False,
    )

    def __init__(self, *args, component, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(component=component)

    def filters(self) -> dict:
        if self.is_valid():
            return self.cleaned_data
        return {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }


class QueueFilterForm(ListFilterForm):
    service = forms.CharField(label=_("Service"), required=False)


class AssignForm(forms.Form):
    service = _text(_("Service municipal"), SERVICE_MAX_LENGTH, required_hint=False)


class ServiceForm(forms.Form):
    """The town's service instructing the proposal (participation.MunicipalService)."""

    service = forms.ModelChoiceField(
        label=_("Service instructeur"),
        queryset=MunicipalService.objects.all(),
        required=False,
        empty_label=_("Aucun"),
    )


class NoteForm(forms.Form):
    feasibility_note = _text(
        _("Note de faisabilité (interne)"),
        NOTE_MAX_LENGTH,
        required_hint=False,
        textarea=True,
    )
    cost_estimate = _number(_("Coût estimé par les services (€)"))


class ReasonForm(forms.Form):
    reason = _text(
        _("Explication publique"), REASON_MAX_LENGTH, required_hint=False, textarea=True, rows=3
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Fusionner avec"), queryset=Proposal.objects.none())

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets


class ToVoteForm(forms.Form):
    budget = forms.TypedChoiceField(label=_("Budget participatif"), coerce=int)
    reason = _text(
        _("Explication publique"), REASON_MAX_LENGTH, required_hint=False, textarea=True, rows=2
    )

    def __init__(self, *args, budgets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].choices = [(budget.pk, str(budget)) for budget in budgets]


class CategoryForm(forms.Form):
    name = _text(_("Nom de la catégorie"), CATEGORY_MAX_LENGTH)


class SettingsForm(forms.Form):
    max_proposals_per_person = forms.IntegerField(
        label=_("Nombre maximum d'idées par personne"),
        help_text=_("Laisser vide pour ne pas limiter."),
        required=False,
        min_value=1,
    )
