"""What a document's file really is (its first bytes, not its name) and how big, in words."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Content type -> (extension stored on disk, label shown to residents).
ALLOWED_TYPES = {
    "application/pdf": ("pdf", gettext_lazy("PDF")),
    "image/png": ("png", gettext_lazy("Image PNG")),
    "image/jpeg": ("jpg", gettext_lazy("Image JPEG")),
    "image/webp": ("webp", gettext_lazy("Image WebP")),
}

SNIFF_BYTES = 16


def sniff_content_type(head: bytes) -> str | None:
    """The allowed type these first bytes announce (magic numbers), or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def type_label(content_type: str) -> str:
    entry = ALLOWED_TYPES.get(content_type)
    return str(entry[1]) if entry else content_type


def extension(content_type: str) -> str:
    return ALLOWED_TYPES[content_type][0]


def human_size(size: int) -> str:
    """Like "850 octets", "12,4 Ko", "30,0 Mo" (binary multiples, as file managers show)."""
    if size < 1024:
        return _("%(size)d octets") % {"size": size}
    if size < 1024 * 1024:
        return _("%(size)s Ko") % {"size": number_format(size / 1024, 1)}
    return _("%(size)s Mo") % {"size": number_format(size / (1024 * 1024), 1)}
