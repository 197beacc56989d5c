"""Our invoices and credit notes as Factur-X PDFs (EN 16931) a public body can pay and deposit
on Chorus Pro: the XML passes the package's XSD check and carries both SIRETs, the commitment
number, VAT, the due date and our bank details; the numbering has no gap."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import facturx
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from lxml import etree
from pypdf import PdfReader

from billing.documents.facturx_xml import invoice_facturx_xml
from billing.documents.pdf import invoice_pdf
from billing.models import BillingDetails, Invoice
from billing.services.invoices import credit_note_issue
from billing.services.subscriptions import subscription_start
from core.errors import Conflict, Invalid

from .conftest import SIRET_A, SIRET_B

pytestmark = pytest.mark.usefixtures("manual_mode")

START = datetime.datetime(2026, 1, 15, 9, 0, tzinfo=datetime.UTC)
SELLER_SIRET = "73248200500004"
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"


def _start(town, plan, staff):
    with time_machine.travel(START):
        return subscription_start(
            actor=staff, tenant=town, plan=plan, billing_email="compta@ville.fr"
        )


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _xml_of(pdf: bytes) -> etree._Element:
    filename, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    assert filename == "factur-x.xml"
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    return etree.fromstring(xml)


def _texts(root: etree._Element, path: str) -> list[str]:
    return [element.text for element in root.iter(f"{RAM}{path}")]


def test_invoice_pdf_is_factur_x_with_both_sirets_and_commitment_number(
    town_a, plan, vendor_staff, billing_details
):
    invoice = _start(town_a, plan, vendor_staff).invoices.get()

    assert (invoice.subtotal_cents, invoice.tax_rate, invoice.tax_cents) == (
        365_000,
        Decimal("20.00"),
        73_000,
    )
    assert invoice.total_cents == invoice.amount_due_cents == 438_000
    pdf = invoice_pdf(invoice)

    text = _pdf_text(pdf)
    assert SIRET_A in text and SELLER_SIRET in text
    assert "EJ-2026/0042" in text and "SERV-FIN" in text
    assert "FR7630006000011234567890189" in text  # where to send the transfer
    assert "14/02/2026" in text  # due date
    assert "4 380,00" in text.replace("\u202f", " ").replace("\xa0", " ")

    root = _xml_of(pdf)
    assert _texts(root, "ID")[:2] == ["urn:cen.eu:en16931:2017", "AGORA-2026-00001"]
    assert _texts(root, "TypeCode")[0] == "380"
    legal_ids = [
        element.text
        for element in root.iter(f"{RAM}SpecifiedLegalOrganization")
        for element in element
    ]
    assert legal_ids == [SELLER_SIRET, SIRET_A]
    assert _texts(root, "IssuerAssignedID") == ["EJ-2026/0042"]
    assert _texts(root, "BuyerReference") == ["SERV-FIN"]
    assert _texts(root, "GrandTotalAmount") == ["4380.00"]
    assert _texts(root, "TaxTotalAmount") == ["730.00"]
    assert _texts(root, "IBANID") == ["FR7630006000011234567890189"]
    assert root.find(f".//{RAM}DueDateDateTime")[0].text == "20260214"


def test_the_xsd_check_refuses_a_broken_xml(town_a, plan, vendor_staff, billing_details):
    """The check can fail: the same XML with its seller moved after the buyer is refused."""
    invoice = _start(town_a, plan, vendor_staff).invoices.get()
    root = etree.fromstring(invoice_facturx_xml(invoice))
    agreement = root.find(f".//{RAM}ApplicableHeaderTradeAgreement")
    agreement.append(agreement.find(f"{RAM}SellerTradeParty"))

    with pytest.raises(Exception, match=r"(?i)xsd|schema|element"):
        facturx.xml_check_xsd(etree.tostring(root), flavor="factur-x", level="en16931")


def test_credit_note_references_the_invoice_and_takes_the_next_number(
    town_a, town_b, plan, vendor_staff, billing_details
):
    invoice = _start(town_a, plan, vendor_staff).invoices.get()
    _start(town_b, plan, vendor_staff)
    with time_machine.travel(START + datetime.timedelta(days=3)):
        credit_note = credit_note_issue(
            actor=vendor_staff, invoice=invoice, reason="Erreur de formule"
        )

    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.VOID
    assert credit_note.number == "AGORA-2026-00003"
    assert (credit_note.kind, credit_note.credited_invoice) == ("credit_note", invoice)
    assert credit_note.total_cents == invoice.total_cents and credit_note.amount_due_cents == 0
    pdf = invoice_pdf(credit_note)
    assert "Avoir n° AGORA-2026-00003" in _pdf_text(pdf)
    root = _xml_of(pdf)
    assert _texts(root, "TypeCode")[0] == "381"
    reference = root.find(f".//{RAM}InvoiceReferencedDocument")
    assert reference.find(f"{RAM}IssuerAssignedID").text == "AGORA-2026-00001"

    with pytest.raises(Conflict):  # an invoice is cancelled once
        credit_note_issue(actor=vendor_staff, invoice=invoice, reason="Encore")
    with pytest.raises(Invalid, match="motif"):
        credit_note_issue(actor=vendor_staff, invoice=invoice, reason="  ")


def test_an_invoice_for_a_town_without_siret_is_refused_and_nothing_is_saved(
    town_a, plan, vendor_staff
):
    with pytest.raises(Invalid, match="SIRET n'est pas renseigné"):
        _start(town_a, plan, vendor_staff)

    assert not Invoice.objects.exists()
    town_a.refresh_from_db()
    assert town_a.plan != plan.code
    # The number was not used: the next invoice is still the first of the year.
    BillingDetails.objects.create(
        tenant=town_a,
        legal_name="Commune A",
        siret=SIRET_A,
        address="1 rue",
        postal_code="78000",
        city="A",
    )
    assert _start(town_a, plan, vendor_staff).invoices.get().number == "AGORA-2026-00001"


def test_the_series_is_enforced_by_the_database(
    town_a, town_b, plan, vendor_staff, billing_details
):
    first = _start(town_a, plan, vendor_staff).invoices.get()
    second = _start(town_b, plan, vendor_staff).invoices.get()
    assert (first.sequence_number, second.sequence_number) == (1, 2)

    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=second.pk).update(sequence_number=1)
    with pytest.raises(IntegrityError), transaction.atomic():  # a manual invoice out of series
        Invoice.objects.filter(pk=second.pk).update(sequence_number=None)
    with pytest.raises(IntegrityError), transaction.atomic():  # a credit note of nothing
        Invoice.objects.filter(pk=second.pk).update(kind="credit_note")
    with pytest.raises(IntegrityError), transaction.atomic():  # VAT that does not add up
        Invoice.objects.filter(pk=second.pk).update(tax_cents=1)
    with pytest.raises(IntegrityError), transaction.atomic():  # what Chorus Pro refuses
        BillingDetails.objects.filter(tenant=town_a).update(commitment_number="EJ 42;")
    with pytest.raises(IntegrityError), transaction.atomic():
        BillingDetails.objects.filter(tenant=town_a).update(siret="2178000023757")


def test_invoice_pdf_command_writes_the_same_pdf_and_lists_numbers(
    town_a, plan, vendor_staff, billing_details, tmp_path
):
    invoice = _start(town_a, plan, vendor_staff).invoices.get()
    output = tmp_path / "facture.pdf"
    stdout = io.StringIO()

    call_command("invoice_pdf", invoice.number, output=str(output), stdout=stdout)

    assert f"{invoice.number} → {output}" in stdout.getvalue()
    pdf = output.read_bytes()
    assert SIRET_A in _pdf_text(pdf) and _xml_of(pdf) is not None
    listing = io.StringIO()
    call_command("invoice_pdf", list=True, stdout=listing)
    assert listing.getvalue().startswith("AGORA-2026-00001\tFacture\tVille A\t")
    with pytest.raises(CommandError, match="AGORA-2099-00001"):
        call_command("invoice_pdf", "AGORA-2099-00001", output=str(output))
    assert SIRET_B not in _pdf_text(pdf)
