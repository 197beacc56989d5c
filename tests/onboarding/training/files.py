"""Small real files of each kind a material may be (and a few it may not)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from participation.documents.demo import minimal_pdf


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


def pdf(name: str = "support.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(["Formation"]), content_type="application/pdf")


def pptx(name: str = "diaporama.pptx") -> SimpleUploadedFile:
    content = _zip({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
    return SimpleUploadedFile(name, content)


def odp(name: str = "diaporama.odp") -> SimpleUploadedFile:
    content = _zip(
        {"mimetype": b"application/vnd.oasis.opendocument.presentation", "content.xml": b"<x/>"}
    )
    return SimpleUploadedFile(name, content)


def other_zip(name: str = "archive.pptx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _zip({"readme.txt": b"rien"}))


def html(name: str = "support.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"<html><script>alert(1)</script></html>")
