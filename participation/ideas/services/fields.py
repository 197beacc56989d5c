"""What a proposal's fields may hold: costs, coordinates in France, an image checked by its
content, a category of the same call."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.errors import Invalid
from core.text import clean_text
from participation.models import Component, Neighbourhood

from ..models import (
    ADDRESS_MAX_LENGTH,
    COST_MAX_DIGITS,
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
)

TYPE_KEY = "ideas"


# France: metropolitan France with Corsica, then the overseas departments and collectivities
# (south, west, north, east in degrees).
FRANCE_AREAS: tuple[tuple[float, float, float, float], ...] = (
    (41.3, -5.3, 51.2, 9.7),  # métropole et Corse
    (15.8, -61.9, 16.6, -60.9),  # Guadeloupe
    (14.3, -61.3, 14.95, -60.75),  # Martinique
    (2.1, -54.7, 5.85, -51.5),  # Guyane
    (-21.45, 55.2, -20.85, 55.9),  # La Réunion
    (-13.05, 44.95, -12.6, 45.35),  # Mayotte
    (46.7, -56.5, 47.2, -56.1),  # Saint-Pierre-et-Miquelon
    (17.85, -63.2, 18.15, -62.75),  # Saint-Martin, Saint-Barthélemy
    (-28.0, -155.0, -7.0, -134.0),  # Polynésie française
    (-23.0, 163.5, -19.5, 168.5),  # Nouvelle-Calédonie
    (-14.4, -178.25, -13.15, -176.1),  # Wallis-et-Futuna
)


def _decimal(value, *, label: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise Invalid(
            _("%(label)s : « %(value)s » n'est pas un nombre.") % {"label": label, "value": value}
        ) from exc
    if not number.is_finite():
        raise Invalid(_("%(label)s : ce nombre n'est pas valide.") % {"label": label})
    return number


def clean_cost(value, *, label: str) -> Decimal | None:
    cost = _decimal(value, label=label)
    if cost is None:
        return None
    if cost < 0:
        raise Invalid(_("%(label)s : le montant ne peut pas être négatif.") % {"label": label})
    cost = cost.quantize(Decimal("0.01"))
    if cost >= Decimal(10) ** (COST_MAX_DIGITS - 2):
        raise Invalid(_("%(label)s : ce montant est trop élevé.") % {"label": label})
    return cost


def in_france(latitude: Decimal, longitude: Decimal) -> bool:
    lat, lng = float(latitude), float(longitude)
    return any(
        south <= lat <= north and west <= lng <= east for south, west, north, east in FRANCE_AREAS
    )


def clean_coordinates(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    """Both or neither; valid coordinates of a place in France, to the micro-degree."""
    lat = _decimal(latitude, label=_("Latitude"))
    lng = _decimal(longitude, label=_("Longitude"))
    if lat is None and lng is None:
        return None, None
    if lat is None or lng is None:
        raise Invalid(
            _("Coordonnées GPS : indiquez la latitude et la longitude, ou aucune des deux.")
        )
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise Invalid(
            _(
                "Coordonnées GPS : la latitude va de -90 à 90 et la longitude de -180 à 180 "
                "(%(lat)s, %(lng)s donnés)."
            )
            % {"lat": lat, "lng": lng}
        )
    if not in_france(lat, lng):
        raise Invalid(
            _("Coordonnées GPS : le point (%(lat)s, %(lng)s) n'est pas en France.")
            % {"lat": lat, "lng": lng}
        )
    step = Decimal("0.000001")
    return lat.quantize(step), lng.quantize(step)


def _clean_category(component: Component, category: Category | None) -> Category | None:
    if category is None:
        return None
    if category.component_id != component.pk:
        raise Invalid(_("Cette catégorie n'appartient pas à cet appel à idées."))
    return category


def clean_proposal_fields(
    component: Component,
    *,
    title: str,
    description: str,
    category: Category | None,
    neighbourhood: Neighbourhood | None,
    address: str,
    latitude,
    longitude,
    estimated_cost,
) -> dict:
    latitude, longitude = clean_coordinates(latitude, longitude)
    return {
        "title": clean_text(title, label=_("Titre"), max_length=TITLE_MAX_LENGTH),
        "description": clean_text(
            description, label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH
        ),
        "category": _clean_category(component, category),
        "neighbourhood": neighbourhood,
        "address": clean_text(
            address, label=_("Adresse ou lieu"), max_length=ADDRESS_MAX_LENGTH, required=False
        ),
        "latitude": latitude,
        "longitude": longitude,
        "estimated_cost": clean_cost(estimated_cost, label=_("Coût estimé")),
    }


def ensure_ideas(component: Component) -> None:
    if component.type_key != TYPE_KEY:
        raise Invalid(_("Ce composant n'est pas un appel à idées."))
