"""What an uploaded file really is: its content (magic bytes, and for the office formats the
ZIP archive's inside), never its name or the type the browser announced. Every upload check
(documents, logos, training materials) reads the type here, then keeps the types it accepts."""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from typing import IO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import Invalid

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
WEBP = "image/webp"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODP = "application/vnd.oasis.opendocument.presentation"
ODT = "application/vnd.oasis.opendocument.text"

# Content type -> (extension stored on disk, label shown to people).
TYPES = {
    PDF: ("pdf", gettext_lazy("PDF")),
    PNG: ("png", gettext_lazy("Image PNG")),
    JPEG: ("jpg", gettext_lazy("Image JPEG")),
    WEBP: ("webp", gettext_lazy("Image WebP")),
    PPTX: ("pptx", gettext_lazy("Présentation PowerPoint")),
    DOCX: ("docx", gettext_lazy("Document Word")),
    ODP: ("odp", gettext_lazy("Présentation Impress")),
    ODT: ("odt", gettext_lazy("Document Writer")),
}
IMAGES = (PNG, JPEG, WEBP)

# The most bytes a magic number below needs (WebP: "RIFF", 4 bytes of size, "WEBP").
SNIFF_BYTES = 16
# The part an Office Open XML archive of each type must hold.
_OOXML_MAIN_PART = {PPTX: "ppt/presentation.xml", DOCX: "word/document.xml"}


def _head_content_type(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _zip_content_type(upload: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # OpenDocument: the first member, stored uncompressed, names the type.
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return mimetype if mimetype in (ODP, ODT) else None
            for content_type, part in _OOXML_MAIN_PART.items():
                if part in names and "[Content_Types].xml" in names:
                    return content_type
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def sniff_content_type(upload: IO[bytes]) -> str | None:
    """The type among ``TYPES`` that the file's content announces, or None. Reads from the
    start and leaves the file rewound, ready to be stored."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    content_type = _head_content_type(head)
    if content_type is None and head.startswith(b"PK\x03\x04"):
        content_type = _zip_content_type(upload)
        upload.seek(0)
    return content_type


def type_label(content_type: str) -> str:
    entry = TYPES.get(content_type)
    return str(entry[1]) if entry else content_type


def extension(content_type: str) -> str:
    return TYPES[content_type][0]


def upload_check(
    upload,
    *,
    allowed: Collection[str],
    max_bytes: int,
    refused: str,
    too_big: str = "",
    field: str | None = None,
) -> str:
    """The upload's real content type when it is one of ``allowed``; Invalid otherwise: empty,
    over ``max_bytes`` (``too_big``, with %(size)s and %(max)s) or of another type whatever its
    name says (``refused``, with %(name)s). The size is checked first: nothing is read from a
    file that is refused anyway."""
    size, name = upload.size or 0, upload.name or "?"
    if size == 0:
        raise Invalid(_("Le fichier « %(name)s » est vide.") % {"name": name}, field=field)
    if size > max_bytes:
        message = too_big or _("Le fichier fait %(size)s : %(max)s au plus.")
        raise Invalid(
            message % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
            field=field,
        )
    content_type = sniff_content_type(upload)
    if content_type not in allowed:
        raise Invalid(refused % {"name": name}, field=field)
    return content_type
