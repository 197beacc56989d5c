"""Checks on what identifies a town: its slug (subdomain and schema), INSEE and SIREN codes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SLUG_MAX_LENGTH = 40
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# Names that are ours: the platform's own hosts and PostgreSQL's own schemas; slugs starting
# with one of RESERVED_SLUG_PREFIXES too ("pg": PostgreSQL's; "agora-spare": the spare schemas
# agora_spare_<hex> of tenants.spares).
RESERVED_SLUGS = frozenset(
    {"www", "api", "admin", "console", "static", "media", "mail", "public", "agora", "template"}
)
RESERVED_SLUG_PREFIXES = ("pg", "agora-spare")
INSEE_PATTERN = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
SIREN_PATTERN = re.compile(r"^\d{9}$")
DOMAIN_PATTERN = re.compile(
    r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)


def validate_town_slug(value: str) -> None:
    if len(value) > SLUG_MAX_LENGTH:
        raise ValidationError(
            _("L'identifiant « %(slug)s » est trop long (%(length)d caractères, %(max)d au plus)."),
            params={"slug": value[:50], "length": len(value), "max": SLUG_MAX_LENGTH},
            code="slug_too_long",
        )
    if not SLUG_PATTERN.match(value):
        raise ValidationError(
            _(
                "L'identifiant « %(slug)s » n'est pas valide : lettres minuscules sans accent, "
                "chiffres et tirets seulement, sans tiret au début ni à la fin."
            ),
            params={"slug": value},
            code="slug_invalid",
        )
    if value in RESERVED_SLUGS or value.startswith(RESERVED_SLUG_PREFIXES):
        raise ValidationError(
            _("L'identifiant « %(slug)s » est réservé par la plateforme."),
            params={"slug": value},
            code="slug_reserved",
        )


def validate_insee_code(value: str) -> None:
    if value and not INSEE_PATTERN.match(value):
        raise ValidationError(
            _("Le code INSEE « %(code)s » doit compter 5 caractères (ex. 78423, 2A004)."),
            params={"code": value},
            code="insee_invalid",
        )


def validate_siren(value: str) -> None:
    if not value:
        return
    if not SIREN_PATTERN.match(value) or not luhn_valid(value):
        raise ValidationError(
            _("Le numéro SIREN « %(siren)s » n'est pas valide (9 chiffres, clé de Luhn)."),
            params={"siren": value},
            code="siren_invalid",
        )


def validate_domain_name(value: str) -> None:
    if not DOMAIN_PATTERN.match(value):
        raise ValidationError(
            _("« %(domain)s » n'est pas un nom de domaine valide."),
            params={"domain": value},
            code="domain_invalid",
        )


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0
