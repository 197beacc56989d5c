"""Checks on what a public body's invoice must carry: SIRET, Chorus Pro service code,
commitment (purchase-order) number, and our own IBAN."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tenants.validators import luhn_valid

SIRET_PATTERN = re.compile(r"^\d{14}$")
# Chorus Pro takes a commitment number (« numéro d'engagement ») of 50 characters at most; we
# accept what every accounting package of the towns produces: letters, digits, - _ / .
COMMITMENT_NUMBER_MAX_LENGTH = 50
COMMITMENT_NUMBER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./-]*$")
SERVICE_CODE_MAX_LENGTH = 100
SERVICE_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./ -]*$")
IBAN_PATTERN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
BIC_PATTERN = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")


def validate_siret(value: str) -> None:
    if not SIRET_PATTERN.match(value) or not luhn_valid(value):
        raise ValidationError(
            _("Le numéro SIRET « %(siret)s » n'est pas valide (14 chiffres, clé de Luhn)."),
            params={"siret": value[:30]},
            code="siret_invalid",
        )


def validate_commitment_number(value: str) -> None:
    if len(value) > COMMITMENT_NUMBER_MAX_LENGTH or not COMMITMENT_NUMBER_PATTERN.match(value):
        raise ValidationError(
            _(
                "Le numéro d'engagement « %(number)s » n'est pas accepté par Chorus Pro : "
                "%(max)d caractères au plus, lettres sans accent, chiffres, et - _ / . "
                "seulement (ni espace ni autre signe)."
            ),
            params={"number": value[:60], "max": COMMITMENT_NUMBER_MAX_LENGTH},
            code="commitment_number_invalid",
        )


def validate_service_code(value: str) -> None:
    if len(value) > SERVICE_CODE_MAX_LENGTH or not SERVICE_CODE_PATTERN.match(value):
        raise ValidationError(
            _(
                "Le code service Chorus Pro « %(code)s » n'est pas valide : %(max)d caractères "
                "au plus, lettres sans accent, chiffres, espaces et - _ / . seulement."
            ),
            params={"code": value[:60], "max": SERVICE_CODE_MAX_LENGTH},
            code="service_code_invalid",
        )


def iban_valid(value: str) -> bool:
    if not IBAN_PATTERN.match(value):
        return False
    rearranged = value[4:] + value[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def bic_valid(value: str) -> bool:
    return bool(BIC_PATTERN.match(value))
