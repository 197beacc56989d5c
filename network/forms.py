"""The forum's forms: the fields people fill; every rule (lengths, markup, files) is the
services', so that a refusal reads the same wherever it comes from."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .files import ATTACHMENTS_MAX

MARKUP_HELP = _(
    "Texte simple : une ligne vide entre les paragraphes, **gras**, *italique*, listes "
    "commençant par « - », citations par « > », liens https://…, @identifiant pour "
    "mentionner quelqu'un."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input (Django's documented pattern); each checked by content in
    the services (network.files)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        single = super().clean
        return [single(upload, initial) for upload in uploads]


def _attachments() -> AttachmentsField:
    return AttachmentsField(
        label=_("Pièces jointes"),
        required=False,
        help_text=_(
            "%(max)d fichiers au plus : PDF, images, documents Word ou Writer, 5 Mo chacun."
        )
        % {"max": ATTACHMENTS_MAX},
    )


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Titre de la discussion"), strip=False)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}), help_text=MARKUP_HELP
    )
    attachments = _attachments()


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Votre réponse"), widget=forms.Textarea(attrs={"rows": 6}), help_text=MARKUP_HELP
    )
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    attachments = _attachments()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher dans le réseau"), max_length=200)
