"""./agora manage invoice_pdf NUMBER --output FILE: the Factur-X PDF of one of our invoices or
credit notes, the same as the console's; --list: our documents, newest first."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from billing import selectors
from billing.documents.pdf import invoice_pdf, invoice_pdf_filename
from core.formats import euros_from_cents


class Command(BaseCommand):
    help = "Écrit le PDF Factur-X d'une facture ou d'un avoir (--list : les numéros)."

    def add_arguments(self, parser):
        parser.add_argument("number", nargs="?", help="numéro, ex. AGORA-2026-00001")
        parser.add_argument("--output", "-o", help="fichier PDF à écrire (défaut : NUMÉRO.pdf)")
        parser.add_argument("--list", action="store_true", help="lister nos factures et avoirs")

    def handle(self, *args, number=None, output=None, list=False, **options):
        if list:
            for invoice in selectors.our_documents():
                self.stdout.write(
                    f"{invoice.number}\t{invoice.get_kind_display()}\t"
                    f"{invoice.subscription.tenant.name}\t"
                    f"{euros_from_cents(invoice.total_cents)}\t"
                    f"{invoice.get_status_display()}"
                )
            return
        if not number:
            raise CommandError("Indiquez le numéro de la facture (ou --list).")
        invoice = selectors.our_document(number.strip())
        if invoice is None:
            raise CommandError(
                f"Aucune facture ni aucun avoir émis ici sous le numéro « {number} » "
                "(les factures Stripe ont leur PDF chez Stripe) ; voir --list."
            )
        path = Path(output or invoice_pdf_filename(invoice))
        try:
            path.write_bytes(invoice_pdf(invoice))
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire {path} : {exc.strerror}.") from exc
        self.stdout.write(f"{invoice.number} → {path}")
