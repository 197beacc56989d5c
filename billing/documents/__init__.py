"""Our billing documents as files: the Factur-X XML of an invoice or credit note
(``facturx_xml``), and invoices, credit notes and quotes as PDF (``pdf``)."""
