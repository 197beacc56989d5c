"""Minutes files built in memory: a real PDF, and what pretends to be one."""

from django.core.files.uploadedfile import SimpleUploadedFile

from core.pdf import minimal_pdf

PDF = minimal_pdf(["Compte rendu", "1. Travaux"])
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
DOCX_AS_ZIP = b"PK\x03\x04" + b"\x00" * 64


def upload(name: str, content: bytes):
    # The type the browser announces is deliberately not trusted by the service.
    return SimpleUploadedFile(name, content, "application/pdf")
