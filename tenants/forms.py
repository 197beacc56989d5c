"""The form fields of a town's map location, shared by the vendor's wizard and the town's own
back office. Text only: tenants.services.map_location_checked says what is wrong, in French."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_MAP_ZOOM


class MapLocationForm(forms.Form):
    latitude = forms.CharField(
        label=_("Latitude du centre de la carte"),
        required=False,
        max_length=30,
        help_text=_("En degrés décimaux, par exemple 48,7715. Vide : une carte de la France."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = forms.CharField(
        label=_("Longitude du centre de la carte"),
        required=False,
        max_length=30,
        help_text=_("En degrés décimaux, par exemple 2,0335 (négatif à l'ouest de Greenwich)."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    map_zoom = forms.CharField(
        label=_("Zoom de la carte"),
        required=False,
        max_length=5,
        initial=str(DEFAULT_MAP_ZOOM),
        # The bounds are tenants.models.MAP_ZOOM_MIN and MAP_ZOOM_MAX (a lazy text cannot be
        # formatted at import time without losing its translation).
        help_text=_("De 5 (une région) à 18 (une rue) ; 13 montre une commune."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class CustomDomainForm(forms.Form):
    domain = forms.CharField(
        label=_("Nom de domaine"),
        max_length=253,
        help_text=_("Par exemple participez.ville.fr : un sous-domaine du site de la ville."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
