"""A town's billing details (SIRET, address, Chorus Pro service code, commitment number),
edited by the staff in the console and copied onto each invoice when it is issued."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.models import User
from console.audit import audit_record
from core.errors import Invalid
from tenants.models import Tenant

from ..models import BillingDetails
from ..validators import validate_commitment_number, validate_service_code, validate_siret


def _checked(field: str, validator, value: str) -> None:
    try:
        validator(value)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field=field) from exc


def billing_details_save(
    *,
    actor: User,
    tenant: Tenant,
    legal_name: str,
    siret: str,
    address: str,
    postal_code: str,
    city: str,
    service_code: str = "",
    commitment_number: str = "",
    request: HttpRequest | None = None,
) -> BillingDetails:
    """Create or replace the town's billing details. Every field is checked before anything is
    written: a refused SIRET or commitment number leaves the previous details as they were."""
    siret = "".join(siret.split())
    fields = {
        "legal_name": " ".join(legal_name.split()),
        "siret": siret,
        "address": " ".join(address.split()),
        "postal_code": postal_code.strip(),
        "city": " ".join(city.split()),
        "service_code": service_code.strip(),
        "commitment_number": commitment_number.strip(),
    }
    if not fields["legal_name"]:
        raise Invalid(
            _("Indiquez la raison sociale de l'acheteur (ex. Commune de …)."), field="legal_name"
        )
    if not siret:
        raise Invalid(
            _(
                "Le SIRET de la collectivité est obligatoire : Chorus Pro et nos factures "
                "l'exigent."
            ),
            field="siret",
        )
    _checked("siret", validate_siret, siret)
    if tenant.siren and not siret.startswith(tenant.siren):
        raise Invalid(
            _(
                "Le SIRET %(siret)s n'est pas celui d'un établissement du SIREN %(siren)s "
                "de %(town)s."
            )
            % {"siret": siret, "siren": tenant.siren, "town": tenant.name},
            field="siret",
        )
    if not fields["address"] or not fields["city"]:
        raise Invalid(_("Indiquez l'adresse postale de la collectivité."), field="address")
    if not (len(fields["postal_code"]) == 5 and fields["postal_code"].isdigit()):
        raise Invalid(_("Le code postal compte 5 chiffres."), field="postal_code")
    if fields["service_code"]:
        _checked("service_code", validate_service_code, fields["service_code"])
    if fields["commitment_number"]:
        _checked("commitment_number", validate_commitment_number, fields["commitment_number"])
    with transaction.atomic():
        details, _created = BillingDetails.objects.update_or_create(tenant=tenant, defaults=fields)
        audit_record(
            actor=actor,
            action="billing.details_save",
            town=tenant,
            details={"siret": siret, "commitment_number": fields["commitment_number"]},
            request=request,
        )
    return details


def billing_details_required(tenant: Tenant) -> BillingDetails:
    """The details our invoice for this town will carry; refused when there is no SIRET."""
    details = BillingDetails.objects.filter(tenant=tenant).first()
    if details is None:
        raise Invalid(
            _(
                "Impossible d'émettre une facture pour %(town)s : son SIRET n'est pas renseigné. "
                "Une collectivité ne peut payer (et Chorus Pro n'accepte) qu'une facture portant "
                "le SIRET de l'établissement payeur : renseignez ses coordonnées de facturation."
            )
            % {"town": tenant.name}
        )
    return details
