"""Files attached to forum posts: what their content really is (core.files), never their
name, and a name on disk that says nothing of the original."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from core import files
from core.errors import Invalid

ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENTS_MAX = 3
ATTACHMENT_TYPES = (files.PDF, files.PNG, files.JPEG, files.WEBP, files.DOCX, files.ODT)


def attachments_check(uploads: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """Each upload with its real content type, all checked before anything is stored;
    Invalid (on the ``attachments`` field) for the first refused."""
    if len(uploads) > ATTACHMENTS_MAX:
        raise Invalid(
            _("%(max)d pièces jointes au plus par message.") % {"max": ATTACHMENTS_MAX},
            field="attachments",
        )
    refused = _(
        "Le fichier « %(name)s » n'est pas accepté : une pièce jointe est un PDF, une image "
        "(PNG, JPEG, WebP) ou un document Word (.docx) ou Writer (.odt)."
    )
    return [
        (
            upload,
            files.upload_check(
                upload,
                allowed=ATTACHMENT_TYPES,
                max_bytes=ATTACHMENT_MAX_BYTES,
                refused=refused,
                field="attachments",
            ),
        )
        for upload in uploads
    ]


def stored_name(content_type: str) -> str:
    return f"{uuid.uuid4().hex}.{files.extension(content_type)}"
