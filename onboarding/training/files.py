"""What an uploaded training material really is: its content (magic bytes, and for the office
formats the ZIP archive's inside) must agree with its extension."""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.errors import Invalid
from participation.documents.files import human_size

# The largest file accepted: nginx refuses bodies over 20 Mo anyway (deploy/nginx).
MATERIAL_MAX_BYTES = 20 * 1024 * 1024

PDF = "application/pdf"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODP = "application/vnd.oasis.opendocument.presentation"
ODT = "application/vnd.oasis.opendocument.text"

EXTENSIONS = {PDF: "pdf", PPTX: "pptx", DOCX: "docx", ODP: "odp", ODT: "odt"}
# The part an Office Open XML archive of each type must hold.
OOXML_MAIN_PART = {PPTX: "ppt/presentation.xml", DOCX: "word/document.xml"}


def _zip_content_type(upload: UploadedFile) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # OpenDocument: the first member, stored uncompressed, names the type.
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return mimetype if mimetype in (ODP, ODT) else None
            for content_type, part in OOXML_MAIN_PART.items():
                if part in names and "[Content_Types].xml" in names:
                    return content_type
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def sniff_content_type(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    content_type = _zip_content_type(upload) if head.startswith(b"PK\x03\x04") else None
    upload.seek(0)
    return content_type


def material_check_file(upload: UploadedFile) -> str:
    """The file's real content type; Invalid naming the problem otherwise."""
    name = upload.name or "?"
    size = upload.size or 0
    if size == 0:
        raise Invalid(_("Le fichier « %(name)s » est vide.") % {"name": name}, field="file")
    if size > MATERIAL_MAX_BYTES:
        raise Invalid(
            _("Le fichier fait %(size)s : %(max)s au plus.")
            % {"size": human_size(size), "max": human_size(MATERIAL_MAX_BYTES)},
            field="file",
        )
    content_type = sniff_content_type(upload)
    extension = PurePath(name).suffix.lower().lstrip(".")
    if content_type is None or EXTENSIONS[content_type] != extension:
        raise Invalid(
            _(
                "Le fichier « %(name)s » n'est pas accepté : un support est un PDF, une "
                "présentation PowerPoint (.pptx) ou Impress (.odp), un document Word (.docx) "
                "ou Writer (.odt), et son contenu doit correspondre à son extension."
            )
            % {"name": name},
            field="file",
        )
    return content_type


def stored_name(original: str, content_type: str) -> str:
    stem = slugify(PurePath(original or "").stem)[:80].strip("-") or "support"
    return f"{stem}.{EXTENSIONS[content_type]}"
