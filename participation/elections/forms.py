from django import forms
from django.utils.translation import gettext_lazy as _

from participation.forms import ImageFields

from .models import Candidate, Election


class CandidacyForm(ImageFields):
    """A candidacy, with its photo (ImageFields' image and its description)."""

    name = forms.CharField(label=_("Nom affiché sur le bulletin"), max_length=120)
    gender = forms.ChoiceField(
        label=_("Genre (pour la parité)"),
        choices=Candidate.Gender.choices,
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label=_("Profession de foi"), widget=forms.Textarea(attrs={"rows": 8}), max_length=5000
    )
    field_order = ["name", "gender", "statement", "image", "image_alt"]


class ElectionForm(forms.Form):
    seats = forms.IntegerField(label=_("Nombre de sièges"), min_value=1, max_value=99)
    parity = forms.BooleanField(label=_("Parité femmes-hommes (alternance)"), required=False)
    tie_rule = forms.ChoiceField(
        label=_("Départage des égalités"), choices=Election.TieRule.choices
    )


class RollImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV de la liste électorale"),
        help_text=_("UTF-8, colonnes nom ; prenom ; date_naissance ; email (avec l'en-tête)."),
    )


class PaperEntryForm(forms.Form):
    sheet = forms.CharField(label=_("Numéro du bulletin"), max_length=40)
    candidates = forms.TypedMultipleChoiceField(
        label=_("Candidats cochés sur le bulletin"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = [(c.pk, c.name) for c in candidates]
