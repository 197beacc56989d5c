"""Shape only: the services check colours, contrast, files and what publishing needs."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import files

from .models import LegalPage, ThemeFont, ThemeRadius
from .services import LOGO_MAX_BYTES

COLOUR_ATTRS = {
    "pattern": "#?[0-9a-fA-F]{6}",
    "placeholder": "#1d4ed8",
    "autocomplete": "off",
    "spellcheck": "false",
}


class ThemeForm(forms.Form):
    primary_colour = forms.CharField(
        label=_("Couleur principale"),
        max_length=7,
        help_text=_(
            "Fond de l'en-tête et des boutons, sous du texte blanc : assez foncée pour un "
            "contraste d'au moins 4,5:1. Format #RRVVBB."
        ),
        widget=forms.TextInput(attrs=COLOUR_ATTRS),
    )
    accent_colour = forms.CharField(
        label=_("Couleur d'accent"),
        max_length=7,
        help_text=_(
            "Contour du champ actif, encadrés, boutons des e-mails (texte blanc). Format #RRVVBB."
        ),
        widget=forms.TextInput(attrs=COLOUR_ATTRS),
    )
    font = forms.ChoiceField(
        label=_("Police"),
        choices=ThemeFont.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Polices libres servies par le site lui-même."),
    )
    radius = forms.ChoiceField(
        label=_("Angles des boutons et encadrés"),
        choices=ThemeRadius.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    tagline = forms.CharField(
        label=_("Accroche"),
        max_length=200,
        required=False,
        help_text=_("Une phrase sous le nom de la commune, en page d'accueil."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ",".join(files.IMAGES)}),
    )
    remove_logo = forms.BooleanField(label=_("Retirer le logo actuel"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, in the language of the request (a lazy string formatted at import
        # time would stay in the default language).
        self.fields["logo"].help_text = gettext(
            "Image PNG, JPEG ou WebP de %(max)d Mo au plus (pas de SVG)."
        ) % {"max": LOGO_MAX_BYTES >> 20}


class LegalPageForm(forms.Form):
    body = forms.CharField(
        label=_("Texte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Texte simple : une ligne vide sépare deux paragraphes, « # Titre » fait un "
            "intertitre, « - élément » une liste ; les adresses web et e-mail deviennent des "
            "liens. Le HTML n'est pas interprété."
        ),
    )


class AccessibilityStatementForm(LegalPageForm):
    conformity = forms.ChoiceField(
        label=_("État de conformité au RGAA"),
        choices=[("", _("— à choisir —")), *LegalPage.Conformity.choices],
        required=False,
        help_text=_("Sans audit, le site doit être déclaré non conforme."),
    )
    audit_date = forms.DateField(
        label=_("Date de l'audit"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    accessibility_contact = forms.CharField(
        label=_("Contact pour les demandes d'accessibilité"),
        max_length=254,
        required=False,
        help_text=_("Adresse e-mail ou adresse (https://…) d'un formulaire de contact."),
    )

    field_order = ["conformity", "audit_date", "accessibility_contact", "body"]


def legal_page_form(page: LegalPage, data=None) -> LegalPageForm:
    form_class = (
        AccessibilityStatementForm if page.kind == LegalPage.Kind.ACCESSIBILITY else LegalPageForm
    )
    initial = {
        "body": page.body,
        "conformity": page.conformity,
        "audit_date": page.audit_date,
        "accessibility_contact": page.accessibility_contact,
    }
    return form_class(data, initial=initial)
