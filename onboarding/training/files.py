"""What an uploaded training material really is (core.files reads its content): a PDF or an
office document whose content must agree with its extension."""

from __future__ import annotations

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import files
from core.errors import Invalid

# The largest file accepted: nginx refuses bodies over 20 Mo anyway (deploy/nginx).
MATERIAL_MAX_BYTES = 20 * 1024 * 1024

MATERIAL_TYPES = (files.PDF, files.PPTX, files.DOCX, files.ODP, files.ODT)
EXTENSIONS = {content_type: files.extension(content_type) for content_type in MATERIAL_TYPES}


def material_check_file(upload: UploadedFile) -> str:
    """The file's real content type; Invalid naming the problem otherwise."""
    refused = _(
        "Le fichier « %(name)s » n'est pas accepté : un support est un PDF, une "
        "présentation PowerPoint (.pptx) ou Impress (.odp), un document Word (.docx) "
        "ou Writer (.odt), et son contenu doit correspondre à son extension."
    )
    content_type = files.upload_check(
        upload,
        allowed=MATERIAL_TYPES,
        max_bytes=MATERIAL_MAX_BYTES,
        refused=refused,
        field="file",
    )
    if EXTENSIONS[content_type] != PurePath(upload.name or "").suffix.lower().lstrip("."):
        raise Invalid(refused % {"name": upload.name or "?"}, field="file")
    return content_type


def stored_name(original: str, content_type: str) -> str:
    stem = slugify(PurePath(original or "").stem)[:80].strip("-") or "support"
    return f"{stem}.{EXTENSIONS[content_type]}"
