from django import forms
from django.utils.translation import gettext_lazy as _

from participation.models import Space

from .models import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), max_length=100, required=False)
    tag = forms.ChoiceField(label=_("Mot-clé"), required=False)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("Tous")), *((tag, tag) for tag in tags)]


class PublishForm(forms.Form):
    space_id = forms.TypedChoiceField(label=_("Espace à publier"), coerce=int)
    title = forms.CharField(label=_("Titre du modèle"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        help_text=_("À quoi sert cet espace, comment votre collectivité l'a mené."),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    tags = forms.CharField(
        label=_("Mots-clés"),
        help_text=_("Séparés par des virgules, par exemple : mobilité, vélo, concertation."),
        max_length=400,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space_id"].choices = [
            (space.pk, space.title) for space in Space.objects.order_by("position", "pk")
        ]


class CopyForm(forms.Form):
    start = forms.DateField(
        label=_("Date de début des phases"),
        help_text=_("Les phases gardent les écarts de dates du modèle à partir de ce jour."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RateForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Votre note"),
        coerce=int,
        choices=[(n, n) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
