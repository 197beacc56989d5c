"""Publishing and removing a space's documents. A refused file leaves nothing behind: it is
checked (size, then its real type from its first bytes) before anything is stored."""

from __future__ import annotations

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import User
from core import files
from core.errors import Invalid
from core.text import clean_text
from participation.models import Component
from participation.services import ensure_perm

from .models import Document

# The largest file a town may publish: 20 Mo.
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
DOCUMENT_TYPES = (files.PDF, *files.IMAGES)


def document_check_file(upload) -> str:
    """The file's real content type; Invalid naming the problem otherwise."""
    return files.upload_check(
        upload,
        allowed=DOCUMENT_TYPES,
        max_bytes=DOCUMENT_MAX_BYTES,
        refused=_(
            "Le fichier « %(name)s » n'est ni un PDF ni une image PNG, JPEG ou WebP : "
            "son contenu ne correspond à aucun de ces formats, quelle que soit son "
            "extension."
        ),
    )


def _stored_name(original: str, content_type: str) -> str:
    """A safe file name whose extension matches the real content (the town's media view
    guesses the type it serves from the extension)."""
    stem = slugify(PurePath(original or "").stem)[:80].strip("-") or "document"
    return f"{stem}.{files.extension(content_type)}"


def _document_store(
    *,
    component: Component,
    upload: UploadedFile,
    title: str,
    description: str,
    uploaded_by: User | None,
) -> Document:
    if component.type_key != "documents":
        raise Invalid(_("Ce composant n'est pas un module de documents."))
    content_type = document_check_file(upload)
    title = clean_text(title or PurePath(upload.name or "").stem, label=_("Titre"), max_length=200)
    description = clean_text(description, label=_("Description"), max_length=5_000, required=False)
    document = Document(
        component=component,
        title=title,
        description=description,
        content_type=content_type,
        size=upload.size,
        uploaded_by=uploaded_by,
    )
    try:
        with transaction.atomic():
            document.file.save(_stored_name(upload.name, content_type), upload, save=False)
            document.save()
    except Exception:
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


def document_upload(
    *,
    actor: User,
    component: Component,
    file: UploadedFile,
    title: str = "",
    description: str = "",
) -> Document:
    ensure_perm(actor, "documents.add_document", component)
    return _document_store(
        component=component,
        upload=file,
        title=title,
        description=description,
        uploaded_by=actor,
    )


def document_delete(*, actor: User, document: Document) -> None:
    """Remove the row, then its file once the deletion is committed."""
    ensure_perm(actor, "documents.delete_document", document)
    name, schema = document.file.name, connection.schema_name
    storage = document.file.storage

    def delete_file() -> None:
        with schema_context(schema):
            storage.delete(name)

    with transaction.atomic():
        Document.objects.filter(pk=document.pk).delete()
        if name:
            transaction.on_commit(delete_file)
