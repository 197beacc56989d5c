"""The Factur-X XML (UN/CEFACT Cross Industry Invoice, profile EN 16931) of one of our
invoices or credit notes, written from the Invoice row and the seller's settings.

Chorus Pro reads from it: both parties' SIRET (legal organisation, scheme 0009), the buyer's
service code (BuyerReference), the commitment number (BuyerOrderReferencedDocument), VAT, the
due date and our IBAN. Elements follow the order of the CII schema: the XSD check of the
`factur-x` package (billing.documents.pdf) refuses anything else.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from lxml import etree

from ..models import Invoice

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "qdt": QDT, "udt": UDT}

EN16931 = "urn:cen.eu:en16931:2017"
TYPE_INVOICE = "380"
TYPE_CREDIT_NOTE = "381"
SIRET_SCHEME = "0009"
SEPA_CREDIT_TRANSFER = "58"
STANDARD_RATE = "S"
UNIT = "C62"  # one (a unit without dimension)


def _element(parent: etree._Element, tag: str, text: str | None = None, **attributes):
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{name}", **attributes)
    if text is not None:
        element.text = text
    return element


def _amount(cents: int) -> str:
    return str((Decimal(cents) / 100).quantize(Decimal("0.01")))


def _date(parent: etree._Element, tag: str, day: datetime.date, *, qualified: bool = False):
    wrapper = _element(parent, tag)
    _element(
        wrapper,
        "qdt:DateTimeString" if qualified else "udt:DateTimeString",
        day.strftime("%Y%m%d"),
        format="102",
    )


def _party(
    parent,
    tag: str,
    *,
    name: str,
    siret: str,
    postal_code: str,
    line: str,
    city: str,
    vat_number: str = "",
) -> None:
    party = _element(parent, tag)
    _element(party, "ram:Name", name)
    legal = _element(party, "ram:SpecifiedLegalOrganization")
    _element(legal, "ram:ID", siret, schemeID=SIRET_SCHEME)
    address = _element(party, "ram:PostalTradeAddress")
    _element(address, "ram:PostcodeCode", postal_code)
    _element(address, "ram:LineOne", line)
    _element(address, "ram:CityName", city)
    _element(address, "ram:CountryID", "FR")
    if vat_number:
        registration = _element(party, "ram:SpecifiedTaxRegistration")
        _element(registration, "ram:ID", vat_number, schemeID="VA")


def _buyer_address(invoice: Invoice) -> tuple[str, str, str]:
    """(postal code, street, city) from the address copied onto the invoice ("street\\nCP city")."""
    street, _newline, town = invoice.buyer_address.partition("\n")
    postal_code, _space, city = town.partition(" ")
    return postal_code, street, city


def _line_item(transaction, position: int, line: dict, rate: str) -> None:
    item = _element(transaction, "ram:IncludedSupplyChainTradeLineItem")
    document = _element(item, "ram:AssociatedDocumentLineDocument")
    _element(document, "ram:LineID", str(position))
    product = _element(item, "ram:SpecifiedTradeProduct")
    _element(product, "ram:Name", line["description"])
    agreement = _element(item, "ram:SpecifiedLineTradeAgreement")
    price = _element(agreement, "ram:NetPriceProductTradePrice")
    unit_price = Decimal(line["amount_cents"]) / 100 / line["quantity"]
    _element(price, "ram:ChargeAmount", str(unit_price.quantize(Decimal("0.0001"))))
    delivery = _element(item, "ram:SpecifiedLineTradeDelivery")
    _element(delivery, "ram:BilledQuantity", str(line["quantity"]), unitCode=UNIT)
    settlement = _element(item, "ram:SpecifiedLineTradeSettlement")
    tax = _element(settlement, "ram:ApplicableTradeTax")
    _element(tax, "ram:TypeCode", "VAT")
    _element(tax, "ram:CategoryCode", STANDARD_RATE)
    _element(tax, "ram:RateApplicablePercent", rate)
    summation = _element(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    _element(summation, "ram:LineTotalAmount", _amount(line["amount_cents"]))


def _agreement(transaction, invoice: Invoice) -> None:
    agreement = _element(transaction, "ram:ApplicableHeaderTradeAgreement")
    if invoice.buyer_service_code:
        _element(agreement, "ram:BuyerReference", invoice.buyer_service_code)
    _party(
        agreement,
        "ram:SellerTradeParty",
        name=settings.BILLING_SELLER_NAME,
        siret=settings.BILLING_SELLER_SIRET,
        postal_code=settings.BILLING_SELLER_POSTAL_CODE,
        line=settings.BILLING_SELLER_ADDRESS,
        city=settings.BILLING_SELLER_CITY,
        vat_number=settings.BILLING_SELLER_VAT_NUMBER,
    )
    postal_code, street, city = _buyer_address(invoice)
    _party(
        agreement,
        "ram:BuyerTradeParty",
        name=invoice.buyer_name,
        siret=invoice.buyer_siret,
        postal_code=postal_code,
        line=street,
        city=city,
    )
    if invoice.commitment_number:
        order = _element(agreement, "ram:BuyerOrderReferencedDocument")
        _element(order, "ram:IssuerAssignedID", invoice.commitment_number)


def _settlement(transaction, invoice: Invoice, rate: str) -> None:
    settlement = _element(transaction, "ram:ApplicableHeaderTradeSettlement")
    _element(settlement, "ram:PaymentReference", invoice.number)
    _element(settlement, "ram:InvoiceCurrencyCode", invoice.currency.upper())
    if invoice.kind == Invoice.Kind.INVOICE:
        means = _element(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _element(means, "ram:TypeCode", SEPA_CREDIT_TRANSFER)
        account = _element(means, "ram:PayeePartyCreditorFinancialAccount")
        _element(account, "ram:IBANID", settings.BILLING_IBAN)
        bank = _element(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
        _element(bank, "ram:BICID", settings.BILLING_BIC)
    tax = _element(settlement, "ram:ApplicableTradeTax")
    _element(tax, "ram:CalculatedAmount", _amount(invoice.tax_cents))
    _element(tax, "ram:TypeCode", "VAT")
    _element(tax, "ram:BasisAmount", _amount(invoice.subtotal_cents))
    _element(tax, "ram:CategoryCode", STANDARD_RATE)
    _element(tax, "ram:RateApplicablePercent", rate)
    if invoice.period_start and invoice.period_end:
        period = _element(settlement, "ram:BillingSpecifiedPeriod")
        _date(period, "ram:StartDateTime", invoice.period_start)
        _date(period, "ram:EndDateTime", invoice.period_end)
    if invoice.due_date:
        terms = _element(settlement, "ram:SpecifiedTradePaymentTerms")
        _element(terms, "ram:Description", "Virement à réception, au plus tard à l'échéance")
        _date(terms, "ram:DueDateDateTime", invoice.due_date)
    summation = _element(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _element(summation, "ram:LineTotalAmount", _amount(invoice.subtotal_cents))
    _element(summation, "ram:TaxBasisTotalAmount", _amount(invoice.subtotal_cents))
    _element(
        summation,
        "ram:TaxTotalAmount",
        _amount(invoice.tax_cents),
        currencyID=invoice.currency.upper(),
    )
    _element(summation, "ram:GrandTotalAmount", _amount(invoice.total_cents))
    _element(summation, "ram:DuePayableAmount", _amount(invoice.total_cents))
    if invoice.credited_invoice is not None:
        credited = invoice.credited_invoice
        reference = _element(settlement, "ram:InvoiceReferencedDocument")
        _element(reference, "ram:IssuerAssignedID", credited.number)
        _date(
            reference,
            "ram:FormattedIssueDateTime",
            timezone.localdate(credited.issued_at),
            qualified=True,
        )


def invoice_facturx_xml(invoice: Invoice) -> bytes:
    """The CII XML of one of our invoices or credit notes (Invoice.is_ours)."""
    rate = f"{invoice.tax_rate:.2f}"
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = _element(root, "rsm:ExchangedDocumentContext")
    guideline = _element(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _element(guideline, "ram:ID", EN16931)
    document = _element(root, "rsm:ExchangedDocument")
    _element(document, "ram:ID", invoice.number)
    _element(
        document,
        "ram:TypeCode",
        TYPE_CREDIT_NOTE if invoice.kind == Invoice.Kind.CREDIT_NOTE else TYPE_INVOICE,
    )
    _date(document, "ram:IssueDateTime", timezone.localdate(invoice.issued_at))
    note = _element(document, "ram:IncludedNote")
    _element(note, "ram:Content", settings.BILLING_SELLER_LEGAL_MENTIONS)
    transaction = _element(root, "rsm:SupplyChainTradeTransaction")
    for position, line in enumerate(invoice.lines, start=1):
        _line_item(transaction, position, line, rate)
    _agreement(transaction, invoice)
    _element(transaction, "ram:ApplicableHeaderTradeDelivery")
    _settlement(transaction, invoice, rate)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
