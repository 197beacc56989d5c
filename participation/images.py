"""The one image service of the town's site: spaces, ideas, budget projects and homepage
blocks store their pictures here (``core.images`` checks and re-encodes them), and show them
with ``{% load images %}{% picture image sizes=... %}``. Modules call these functions; they
never store image files themselves."""

from __future__ import annotations

import uuid

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core import images
from core.errors import Invalid
from core.text import clean_text

from .models import Image

ALT_MAX_LENGTH = 250


def clean_alt(alt: str | None, *, field: str | None = "image_alt") -> str:
    """The description of a picture, required: a picture without one says nothing to a
    screen reader's user."""
    alt = (alt or "").strip()
    if not alt:
        raise Invalid(
            _(
                "Décrivez l'image en quelques mots (texte alternatif) : ce texte est lu aux "
                "personnes qui ne la voient pas."
            ),
            field=field,
        )
    return clean_text(alt, label=_("Texte alternatif"), max_length=ALT_MAX_LENGTH, field=field)


def image_store(*, upload, alt: str, field: str | None = "image") -> Image:
    """Check, re-encode and store ``upload`` with its description. Nothing is stored when
    either is refused (Invalid, with a French message on ``field`` or ``image_alt``). The files
    are written before the row; should the caller's transaction roll back afterwards, they stay
    under a random name that no page links to."""
    alt = clean_alt(alt)
    processed = images.image_process(upload, field=field)
    image = Image(
        key=uuid.uuid4().hex,
        widths=[rendition.width for rendition in processed.renditions],
        width=processed.width,
        height=processed.height,
        alt=alt,
    )
    saved = []
    try:
        for rendition in processed.renditions:
            path = image.path(rendition.width)
            saved.append(default_storage.save(path, ContentFile(rendition.content)))
        image.save()
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise
    return image


def image_delete(image: Image | None) -> None:
    """Delete the row now and its files once the deletion is committed."""
    if image is None:
        return
    paths = [image.path(width) for width in image.widths]
    image.delete()
    transaction.on_commit(lambda: [default_storage.delete(path) for path in paths])


def _image_references() -> list:
    """Every foreign key to Image, the hidden ones (``related_name="+"``) included: spaces,
    ideas, budget projects, homepage blocks... whichever module declares one."""
    relations = [
        field
        for field in Image._meta.get_fields(include_hidden=True)
        if field.is_relation and field.auto_created and not field.concrete
    ]
    if any(relation.many_to_many for relation in relations):
        # The functions below read one id per row: an image they did not see pointed to
        # would be deleted while still shown.
        raise ImproperlyConfigured("participation.images follows foreign keys to Image only.")
    return relations


def images_referenced_by(instances_by_model) -> set[int]:
    """The ids of the images that these model instances (or querysets: ``{model: iterable}``,
    as Django's deletion Collector holds them) point to."""
    found: set[int] = set()
    for relation in _image_references():
        field = relation.field
        for model, rows in instances_by_model.items():
            if not issubclass(model, field.model):
                continue
            if isinstance(rows, QuerySet):
                found.update(rows.values_list(field.attname, flat=True))
            else:
                found.update(getattr(row, field.attname) for row in rows)
    found.discard(None)
    return found


def images_delete_unused(image_ids: set[int]) -> int:
    """Deletes those of the images that nothing points to any more (rows now, files once
    committed); returns how many."""
    unused = set(image_ids)
    for relation in _image_references():
        field = relation.field
        manager = field.model._base_manager
        unused -= set(
            manager.filter(**{f"{field.attname}__in": unused}).values_list(field.attname, flat=True)
        )
    images = list(Image.objects.filter(pk__in=unused))
    for image in images:
        image_delete(image)
    return len(images)


def image_change(
    *,
    current: Image | None,
    upload=None,
    alt: str = "",
    remove: bool = False,
) -> Image | None:
    """What an edit form asks of an object's picture: a new file replaces the current one
    (deleted), ``remove`` deletes it, otherwise a new description replaces the current one (a
    blank one keeps it). Returns the image the object now points to."""
    if upload:
        new = image_store(upload=upload, alt=alt)
        image_delete(current)
        return new
    if remove:
        image_delete(current)
        return None
    if current is not None and alt.strip() and alt.strip() != current.alt:
        current.alt = clean_alt(alt)
        current.save(update_fields=["alt"])
    elif current is None and alt.strip():
        raise Invalid(_("Choisissez l'image que ce texte décrit."), field="image")
    return current


def image_url(image: Image, width: int) -> str:
    return default_storage.url(image.path(width))
