"""What the town's staff do with the homepage: add, edit, move and remove blocks of the draft,
then publish it. Only the town's administrators (``participation.change_homepage``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Invalid
from core.positions import neighbour_swapped, positions_saved
from core.text import clean_text
from participation.images import clean_alt, image_change, image_delete
from participation.models import HomeBlock, Image, Space
from participation.services import ensure_perm

from .blocks import block_kind

PERMISSION = "participation.change_homepage"
TEXT_MAX_LENGTH = 4000
MAX_LIMIT = 12


def clean_link(url: str) -> str:
    """A page of this site (``/espaces/...``) or an http(s) address; anything else (a
    ``javascript:`` link above all) is refused."""
    url = (url or "").strip()
    if not url:
        return ""
    if url.startswith("/") and not url.startswith("//"):
        return clean_text(url, label=_("Adresse du bouton"), max_length=300, field="link_url")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise Invalid(
            _(
                "Adresse du bouton : une page du site (commençant par « / ») ou une adresse "
                "web commençant par https://."
            ),
            field="link_url",
        ) from exc
    return clean_text(url, label=_("Adresse du bouton"), max_length=300, field="link_url")


def _cleaned(
    kind_key: str,
    *,
    title: str,
    text: str,
    link_label: str,
    link_url: str,
    limit: int | None,
) -> dict:
    kind = block_kind(kind_key)
    if kind is None:
        raise Invalid(_("Type de bloc inconnu : « %(kind)s ».") % {"kind": kind_key}, field="kind")
    fields = {
        "title": clean_text(
            title,
            label=_("Titre"),
            max_length=200,
            required="title" in kind.required,
            field="title",
        ),
        "text": clean_text(
            text,
            label=_("Texte"),
            max_length=TEXT_MAX_LENGTH,
            required="text" in kind.required,
            field="text",
        ),
        "link_label": clean_text(
            link_label,
            label=_("Texte du bouton"),
            max_length=80,
            required=False,
            field="link_label",
        ),
        "link_url": clean_link(link_url),
        "limit": 3 if limit is None else limit,
    }
    if bool(fields["link_label"]) != bool(fields["link_url"]):
        raise Invalid(
            _("Le bouton a besoin d'un texte et d'une adresse (ou ni l'un ni l'autre)."),
            field="link_label",
        )
    if not 1 <= fields["limit"] <= MAX_LIMIT:
        raise Invalid(_("Nombre d'éléments : de 1 à %(max)d.") % {"max": MAX_LIMIT}, field="limit")
    # What the kind does not show is not kept.
    if "text" not in kind.fields:
        fields["text"] = ""
    if "link" not in kind.fields:
        fields["link_label"] = fields["link_url"] = ""
    return fields


def _release(image: Image | None) -> None:
    """Delete a picture no block shows any more (the published copy may still show it)."""
    if image is not None and not HomeBlock.objects.filter(image=image).exists():
        image_delete(image)


def block_add(
    *,
    actor: User,
    kind: str,
    title: str = "",
    text: str = "",
    link_label: str = "",
    link_url: str = "",
    limit: int | None = None,
    spaces: Iterable[Space] = (),
    image=None,
    image_alt: str = "",
) -> HomeBlock:
    """A new block at the end of the draft."""
    ensure_perm(actor, PERMISSION)
    fields = _cleaned(
        kind, title=title, text=text, link_label=link_label, link_url=link_url, limit=limit
    )
    if image:
        clean_alt(image_alt)
    with transaction.atomic():
        last = HomeBlock.objects.filter(published=False).aggregate(last=Max("position"))["last"]
        block = HomeBlock.objects.create(
            kind=kind, published=False, position=0 if last is None else last + 1, **fields
        )
        if image:
            block.image = image_change(current=None, upload=image, alt=image_alt)
            block.save(update_fields=["image"])
        block.spaces.set(spaces)
    return block


def block_update(
    *,
    actor: User,
    block: HomeBlock,
    title: str = "",
    text: str = "",
    link_label: str = "",
    link_url: str = "",
    limit: int | None = None,
    spaces: Iterable[Space] = (),
    image=None,
    image_alt: str = "",
    remove_image: bool = False,
) -> HomeBlock:
    ensure_perm(actor, PERMISSION)
    _ensure_draft(block)
    fields = _cleaned(
        block.kind, title=title, text=text, link_label=link_label, link_url=link_url, limit=limit
    )
    if image:
        clean_alt(image_alt)
    with transaction.atomic():
        locked = (
            HomeBlock.objects.select_for_update(of=("self",))
            .select_related("image")
            .get(pk=block.pk)
        )
        previous = locked.image
        for name, value in fields.items():
            setattr(locked, name, value)
        if image or remove_image:
            # A new picture: the old one may still be the published block's.
            locked.image = None
            locked.save()
            _release(previous)
            locked.image = image_change(current=None, upload=image, alt=image_alt)
        elif previous is not None and image_alt.strip():
            previous.alt = clean_alt(image_alt)
            previous.save(update_fields=["alt"])
        locked.save()
        locked.spaces.set(spaces)
    return locked


def _ensure_draft(block: HomeBlock) -> None:
    if block.published:
        raise Invalid(_("Seul le brouillon de la page d'accueil se modifie."))


def block_move(*, actor: User, block: HomeBlock, direction: str) -> None:
    """Swap the block with its neighbour above (``up``) or below (``down``); at the top or
    the bottom already, nothing moves."""
    ensure_perm(actor, PERMISSION)
    _ensure_draft(block)
    with transaction.atomic():
        draft = list(HomeBlock.objects.select_for_update().filter(published=False))
        index = next(i for i, item in enumerate(draft) if item.pk == block.pk)
        if neighbour_swapped(draft, index, direction):
            positions_saved(draft)


def block_remove(*, actor: User, block: HomeBlock) -> None:
    ensure_perm(actor, PERMISSION)
    _ensure_draft(block)
    with transaction.atomic():
        image = block.image
        block.delete()
        _release(image)


def homepage_publish(*, actor: User) -> int:
    """The public homepage becomes a copy of the draft (which stays, to be edited further);
    returns the number of blocks published. Pictures the old version alone showed are
    deleted."""
    ensure_perm(actor, PERMISSION)
    with transaction.atomic():
        draft = list(HomeBlock.objects.select_for_update().filter(published=False))
        old = list(HomeBlock.objects.select_for_update().filter(published=True))
        old_images = [block.image for block in old if block.image_id]
        HomeBlock.objects.filter(pk__in=[block.pk for block in old]).delete()
        for block in draft:
            spaces = list(block.spaces.all())
            block.pk = block.id = None
            block.published = True
            block.save()
            block.spaces.set(spaces)
        for image in old_images:
            _release(image)
    return len(draft)
