"""Invented documents for the demo towns: a small PDF written by hand, byte by byte."""

from django.core.files.uploadedfile import SimpleUploadedFile

from core.pdf import minimal_pdf
from participation.models import Component

from .services import _document_store

DEMO_DOCUMENTS = [
    (
        "Compte rendu du conseil de quartier",
        "Le compte rendu de la dernière séance : présents, points abordés, décisions.",
        "compte-rendu-conseil-de-quartier.pdf",
        ["Compte rendu du conseil de quartier", "", "Presents : 30 habitants.",
         "1. Passage pieton devant l'ecole", "2. Travaux de la place du marche",
         "3. Fete de quartier du printemps"],
    ),
]  # fmt: skip


def documents_seed(component: Component) -> None:
    for title, description, filename, lines in DEMO_DOCUMENTS:
        _document_store(
            component=component,
            upload=SimpleUploadedFile(filename, minimal_pdf(lines), "application/pdf"),
            title=title,
            description=description,
            uploaded_by=None,
        )
