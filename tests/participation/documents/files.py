"""Small files of each kind, built in memory."""

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
# A Windows executable (MZ header) and a Linux one (ELF).
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
WAVE = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32
HTML = b"<html><script>alert(1)</script></html>"


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    """The browser-announced content type is deliberately not trusted by the module."""
    return SimpleUploadedFile(name, content, content_type)


def big_pdf(size: int):
    return upload("gros.pdf", PDF + b"\x00" * (size - len(PDF)))
