"""Our invoices, credit notes and quotes as PDF, drawn by WeasyPrint from the templates of
billing/templates/billing/documents/. An invoice or credit note is a Factur-X document: its
CII XML (billing.documents.facturx_xml) embedded in the PDF/A-3 by the `factur-x` package,
which checks the XML against the Factur-X XSD first."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from ..models import BillingDetails, Invoice, Quote
from .facturx_xml import invoice_facturx_xml

FACTURX_LEVEL = "en16931"


def _seller() -> dict[str, str]:
    return {
        "name": settings.BILLING_SELLER_NAME,
        "address": settings.BILLING_SELLER_ADDRESS,
        "postal_code": settings.BILLING_SELLER_POSTAL_CODE,
        "city": settings.BILLING_SELLER_CITY,
        "siret": settings.BILLING_SELLER_SIRET,
        "vat_number": settings.BILLING_SELLER_VAT_NUMBER,
        "legal_mentions": settings.BILLING_SELLER_LEGAL_MENTIONS,
        "iban": settings.BILLING_IBAN,
        "bic": settings.BILLING_BIC,
    }


def _render(template: str, context: dict[str, Any], *, pdf_variant: str | None) -> bytes:
    # WeasyPrint and factur-x take seconds to import: only a process that draws a PDF pays it,
    # not every web worker loading the console's URLs.
    from weasyprint import HTML

    # Documents are in French whatever the staff's language: they go to a French public body.
    with translation.override("fr"):
        html = render_to_string(template, {**context, "seller": _seller()})
    return HTML(string=html).write_pdf(pdf_variant=pdf_variant)


def invoice_pdf(invoice: Invoice) -> bytes:
    """The Factur-X PDF (EN 16931) of one of our invoices or credit notes."""
    import facturx

    pdf = _render(
        "billing/documents/invoice.html",
        {"invoice": invoice, "document": invoice, "lines": invoice.lines},
        pdf_variant="pdf/a-3b",
    )
    return facturx.generate_from_binary(
        pdf,
        invoice_facturx_xml(invoice),
        flavor="factur-x",
        level=FACTURX_LEVEL,
        check_xsd=True,
        pdf_metadata={
            "author": settings.BILLING_SELLER_NAME,
            "keywords": "Factur-X",
            "title": invoice.number,
            "subject": invoice.get_kind_display(),
        },
        lang="fr-FR",
    )


def invoice_pdf_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf"


def quote_pdf(quote: Quote) -> bytes:
    """A quote: the same layout, no Factur-X (it is not an invoice)."""
    details = BillingDetails.objects.filter(tenant_id=quote.tenant_id).first()
    return _render(
        "billing/documents/quote.html",
        {"quote": quote, "document": quote, "lines": quote.lines, "details": details},
        pdf_variant=None,
    )
