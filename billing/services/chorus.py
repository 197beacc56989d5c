"""Chorus Pro, the platform through which French public bodies receive their suppliers'
invoices. We have no access to its API from here: the staff deposit our invoices and credit
notes in Chorus Pro's portal and record here the deposit (date, Chorus Pro number) and the
statuses Chorus Pro shows afterwards. Every record is audit-logged."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from console.audit import audit_record
from core.errors import Conflict, Invalid

from ..models import ChorusDeposit, Invoice

CHORUS_NUMBER_MAX_LENGTH = 50


def _date_checked(day: datetime.date, *, field: str) -> datetime.date:
    if day > timezone.localdate():
        raise Invalid(_("La date ne peut pas être dans le futur."), field=field)
    return day


def chorus_deposit_record(
    *,
    actor: User,
    invoice: Invoice,
    deposited_on: datetime.date,
    chorus_number: str,
    request: HttpRequest | None = None,
) -> ChorusDeposit:
    """The staff deposited this invoice (or credit note) on Chorus Pro. A rejected deposit may
    be replaced by a new one (the corrected invoice deposited again)."""
    chorus_number = "".join(chorus_number.split())
    if not chorus_number:
        raise Invalid(_("Indiquez le numéro donné par Chorus Pro au dépôt."), field="chorus_number")
    if len(chorus_number) > CHORUS_NUMBER_MAX_LENGTH:
        raise Invalid(
            _("Le numéro Chorus Pro compte 50 caractères au plus."), field="chorus_number"
        )
    deposited_on = _date_checked(deposited_on, field="deposited_on")
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update()
            .select_related("subscription__tenant")
            .get(pk=invoice.pk)
        )
        if not invoice.is_ours:
            raise Conflict(_("Seules nos propres factures se déposent sur Chorus Pro depuis ici."))
        if invoice.issued_at and deposited_on < timezone.localdate(invoice.issued_at):
            raise Invalid(
                _("La facture %(number)s n'était pas encore émise à cette date.")
                % {"number": invoice.number},
                field="deposited_on",
            )
        deposit = ChorusDeposit.objects.filter(invoice=invoice).first()
        if deposit is not None and deposit.status != ChorusDeposit.Status.REJECTED:
            raise Conflict(
                _("La facture %(number)s est déjà déposée sur Chorus Pro (n° %(chorus)s).")
                % {"number": invoice.number, "chorus": deposit.chorus_number}
            )
        deposit = deposit or ChorusDeposit(invoice=invoice)
        deposit.deposited_on = deposit.status_changed_on = deposited_on
        deposit.chorus_number = chorus_number
        deposit.status = ChorusDeposit.Status.DEPOSITED
        deposit.rejection_reason = ""
        deposit.recorded_by = actor
        try:
            with transaction.atomic():
                deposit.save()
        except IntegrityError as exc:
            raise Conflict(_("Ce dépôt vient d'être enregistré par quelqu'un d'autre.")) from exc
        audit_record(
            actor=actor,
            action="billing.chorus_deposit",
            town=invoice.subscription.tenant,
            details={"invoice": invoice.number, "chorus_number": chorus_number},
            request=request,
        )
    return deposit


# A status moves forward only (Chorus Pro's own life cycle); a rejection can come at any step
# before payment.
_ORDER = [
    ChorusDeposit.Status.DEPOSITED,
    ChorusDeposit.Status.MADE_AVAILABLE,
    ChorusDeposit.Status.MANDATED,
    ChorusDeposit.Status.PAID,
]


def chorus_status_set(
    *,
    actor: User,
    deposit: ChorusDeposit,
    status: str,
    changed_on: datetime.date,
    rejection_reason: str = "",
    request: HttpRequest | None = None,
) -> ChorusDeposit:
    """A new status seen in Chorus Pro (mise à disposition, mandatée, payée, rejetée + reason).
    Recording « payée » does not mark our invoice paid: the transfer is reconciled as any other
    (« Marquer payée »)."""
    if status not in ChorusDeposit.Status.values:
        raise Invalid(_("Statut Chorus Pro inconnu."), field="status")
    rejection_reason = " ".join(rejection_reason.split())
    if status == ChorusDeposit.Status.REJECTED and not rejection_reason:
        raise Invalid(
            _("Indiquez le motif du rejet donné par Chorus Pro."), field="rejection_reason"
        )
    changed_on = _date_checked(changed_on, field="changed_on")
    with transaction.atomic():
        deposit = (
            ChorusDeposit.objects.select_for_update()
            .select_related("invoice__subscription__tenant")
            .get(pk=deposit.pk)
        )
        current = deposit.status
        if current in (ChorusDeposit.Status.REJECTED, ChorusDeposit.Status.PAID):
            raise Conflict(
                _("Le dépôt est « %(status)s » : plus de changement de statut.")
                % {"status": deposit.get_status_display()}
            )
        if status != ChorusDeposit.Status.REJECTED and _ORDER.index(status) <= _ORDER.index(
            current
        ):
            raise Conflict(
                _("Le dépôt est déjà « %(status)s » : un statut ne revient pas en arrière.")
                % {"status": deposit.get_status_display()}
            )
        if changed_on < deposit.status_changed_on:
            raise Invalid(
                _("La date est antérieure au statut précédent (%(day)s).")
                % {"day": deposit.status_changed_on.strftime("%d/%m/%Y")},
                field="changed_on",
            )
        deposit.status = status
        deposit.status_changed_on = changed_on
        deposit.rejection_reason = (
            rejection_reason if status == ChorusDeposit.Status.REJECTED else ""
        )
        deposit.recorded_by = actor
        deposit.save()
        audit_record(
            actor=actor,
            action="billing.chorus_status",
            town=deposit.invoice.subscription.tenant,
            details={
                "invoice": deposit.invoice.number,
                "status": status,
                "rejection_reason": deposit.rejection_reason,
            },
            request=request,
        )
    return deposit
