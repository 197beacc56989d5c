"""The shapes of the homepage's back-office forms; ``services`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.forms import ImageFields
from participation.models import Space

from .blocks import BlockKind, block_kinds
from .services import MAX_LIMIT, TEXT_MAX_LENGTH


class AddBlockForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de bloc"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.key, kind.label) for kind in block_kinds()]


class BlockForm(ImageFields):
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Texte"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Texte simple : une ligne vide sépare deux paragraphes."),
    )
    link_label = forms.CharField(label=_("Texte du bouton"), max_length=80, required=False)
    link_url = forms.CharField(
        label=_("Adresse du bouton"),
        max_length=300,
        required=False,
        help_text=_("Une page du site (/espaces/…) ou une adresse https://…"),
    )
    spaces = forms.ModelMultipleChoiceField(
        label=_("Espaces mis en avant"),
        queryset=Space.objects.filter(status=Space.Status.PUBLISHED),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun coché : les derniers espaces publiés."),
    )
    limit = forms.IntegerField(
        label=_("Nombre d'éléments affichés"), min_value=1, max_value=MAX_LIMIT, initial=3
    )

    def __init__(self, *args, kind: BlockKind, **kwargs):
        super().__init__(*args, **kwargs)
        shown = set(kind.fields)
        if "link" in shown:
            shown |= {"link_label", "link_url"}
        if "image" in shown:
            shown |= {"image_alt", "remove_image"}
        for name in list(self.fields):
            if name not in shown:
                del self.fields[name]
        for name in kind.required:
            if name in self.fields:
                self.fields[name].required = True
