"""Used by the migrations that move an ImageField (a file stored as uploaded, metadata and
all) to the one image scheme (``participation.Image``: WebP renditions re-encoded by
``core.images``). The loader skips modules whose name starts with an underscore."""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core import images
from core.errors import Invalid


def convert(Image, name: str, alt: str):
    """The ``Image`` row for the stored file ``name`` (its renditions written, the original
    deleted), or None when the file is missing or not a readable picture: it is dropped, as
    the new upload check would have refused it."""
    if not name or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as original:
        original.name = name
        original.size = default_storage.size(name)
        try:
            processed = images.image_process(original)
        except Invalid:
            processed = None
    default_storage.delete(name)
    if processed is None:
        return None
    image = Image(
        key=uuid.uuid4().hex,
        widths=[rendition.width for rendition in processed.renditions],
        width=processed.width,
        height=processed.height,
        alt=(alt or "Image")[:250],
    )
    for rendition in processed.renditions:
        default_storage.save(
            f"images/{image.key}/{rendition.width}.webp", ContentFile(rendition.content)
        )
    image.save()
    return image
