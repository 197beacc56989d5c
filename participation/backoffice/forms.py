from django import forms
from django.utils.translation import gettext_lazy as _

from participation.forms import ImageFields
from participation.models import MunicipalService, Neighbourhood, Space
from participation.officials.selectors import town_accounts
from participation.registry import registry


class SpaceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'espace"), choices=Space.Kind.choices)
    title = forms.CharField(label=_("Titre"), max_length=200)
    summary = forms.CharField(label=_("Résumé"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Quartier"), queryset=Neighbourhood.objects.all(), required=False
    )


class SpaceEditForm(ImageFields, SpaceForm):
    kind = None


class ComponentForm(forms.Form):
    type_key = forms.ChoiceField(label=_("Module"))
    title = forms.CharField(label=_("Titre"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type_key"].choices = [
            (key, label) for key, label in registry.choices() if registry.is_on(key)
        ]


class PhaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Étape"))
    title = forms.CharField(label=_("Titre (facultatif)"), max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label=_("Début"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Fin"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, component, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in component.type.phase_kinds]


class NeighbourhoodForm(forms.Form):
    name = forms.CharField(label=_("Nom du quartier"), max_length=120)


class MunicipalServiceForm(forms.Form):
    name = forms.CharField(label=_("Nom du service"), max_length=120)
    description = forms.CharField(
        label=_("Description (facultative)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Agents qui répondent pour ce service"),
        queryset=town_accounts(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class OfficialForm(ImageFields):
    name = forms.CharField(label=_("Nom"), max_length=120)
    title = forms.CharField(
        label=_("Fonction"),
        max_length=200,
        help_text=_("Par exemple : « Adjointe au maire chargée des mobilités »."),
    )
    delegations = forms.CharField(
        label=_("Délégations (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Quartier (facultatif)"), queryset=Neighbourhood.objects.all(), required=False
    )
    account = forms.ModelChoiceField(
        label=_("Compte avec lequel l'élu répond (facultatif)"),
        queryset=town_accounts(),
        required=False,
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services qui répondent pour cet élu"),
        queryset=MunicipalService.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    published = forms.BooleanField(label=_("Publié sur la page des élus"), required=False)
