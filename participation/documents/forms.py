from django import forms
from django.utils.translation import gettext_lazy as _


class DocumentForm(forms.Form):
    """Shape only: the service checks the file's size and real type."""

    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF ou image (PNG, JPEG, WebP), 20 Mo au plus."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/png,image/jpeg,image/webp"}
        ),
    )
    title = forms.CharField(
        label=_("Titre"),
        max_length=200,
        required=False,
        help_text=_("Par défaut, le nom du fichier."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        required=False,
    )
