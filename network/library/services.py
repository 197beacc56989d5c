"""Publishing, copying and rating space templates. Each runs in a town's request (the
connection's tenant is the town acting): the library's tables are in the public schema, which
every town's search path reaches; the spaces are in the town's own schema."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid, NotFound
from core.text import clean_text
from participation.blueprints import (
    Blueprint,
    BlueprintImage,
    space_blueprint,
    space_from_blueprint,
)
from participation.models import Space
from participation.services import ensure_perm
from tenants.models import Tenant

from .models import (
    DESCRIPTION_MAX_LENGTH,
    MAX_TAGS,
    TAG_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    SpaceTemplate,
    SpaceTemplateImage,
    SpaceTemplateImageFile,
    SpaceTemplateVersion,
    TemplateRating,
    TemplateReuse,
)


def _town() -> Tenant:
    return connection.tenant


def clean_tags(tags: Sequence[str] | str) -> list[str]:
    """Tags from a list or a comma-separated text: trimmed, lower case, each once."""
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned: list[str] = []
    for tag in tags:
        tag = " ".join(tag.split()).lower()
        if not tag or tag in cleaned:
            continue
        if len(tag) > TAG_MAX_LENGTH:
            raise Invalid(
                _("Un mot-clé compte au plus %(max)d caractères.") % {"max": TAG_MAX_LENGTH},
                field="tags",
            )
        cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise Invalid(_("Au plus %(max)d mots-clés.") % {"max": MAX_TAGS}, field="tags")
    return cleaned


def _version_store(template: SpaceTemplate, blueprint: Blueprint) -> SpaceTemplateVersion:
    number = (template.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = SpaceTemplateVersion.objects.create(
        template=template, number=number, blueprint=blueprint.document
    )
    for image in blueprint.images.values():
        stored = SpaceTemplateImage.objects.create(
            version=version, ref=image.ref, alt=image.alt, width=image.width, height=image.height
        )
        SpaceTemplateImageFile.objects.bulk_create(
            SpaceTemplateImageFile(image=stored, rendition_width=width, content=content)
            for width, content in image.files.items()
        )
    return version


def template_publish(
    *, actor: User, space_id: int, title: str, description: str, tags: Sequence[str] | str
) -> SpaceTemplateVersion:
    """Publish the current town's space as a template, or a new version of the template this
    space already has (its title, description and tags replaced). Earlier versions and the
    spaces copied from them are untouched."""
    ensure_perm(actor, "template_library.use_library")
    title = clean_text(title, label=_("Titre"), max_length=TITLE_MAX_LENGTH, field="title")
    description = clean_text(
        description, label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH, field="description"
    )
    tags = clean_tags(tags)
    town = _town()
    try:
        with transaction.atomic():
            space = Space.objects.select_for_update().filter(pk=space_id).first()
            if space is None:
                raise NotFound(_("Cet espace n'existe plus : il a sans doute été supprimé."))
            template, _created = SpaceTemplate.objects.select_for_update().get_or_create(
                source_tenant=town,
                source_space_id=space.pk,
                defaults={"title": title, "description": description, "tags": tags},
            )
            template.title, template.description, template.tags = title, description, tags
            version = _version_store(template, space_blueprint(space=space))
            template.current_version = version
            template.save()
    except IntegrityError as exc:
        raise Conflict(
            _("Cet espace vient d'être publié par quelqu'un d'autre : réessayez.")
        ) from exc
    return version


def template_withdraw(*, actor: User, template: SpaceTemplate) -> None:
    """The source town takes its template out of the library (spaces already copied from it
    stay in the towns that copied them)."""
    ensure_perm(actor, "template_library.use_library")
    if template.source_tenant_id != _town().pk:
        raise NotFound(_("Ce modèle n'appartient pas à votre collectivité."))
    template.delete()


def _blueprint_of(version: SpaceTemplateVersion) -> Blueprint:
    images = {
        image.ref: BlueprintImage(
            ref=image.ref,
            alt=image.alt,
            width=image.width,
            height=image.height,
            files={f.rendition_width: bytes(f.content) for f in image.files.all()},
        )
        for image in version.images.prefetch_related("files")
    }
    return Blueprint(document=version.blueprint, images=images)


def template_copy(
    *,
    actor: User,
    template_id: int,
    version_number: int | None = None,
    start: datetime.date | None = None,
) -> Space:
    """Copy a template (its current version, or ``version_number``) into the current town as a
    draft space, in one transaction: the space, its components, phases and structure, and the
    reuse recorded, or nothing. A template withdrawn meanwhile is a NotFound."""
    ensure_perm(actor, "template_library.use_library")
    with transaction.atomic():
        template = SpaceTemplate.objects.filter(pk=template_id).first()
        if template is None:
            raise NotFound(
                _("Ce modèle a été retiré de la bibliothèque entre-temps : rien n'a été créé.")
            )
        versions = template.versions.all()
        version = (
            versions.filter(number=version_number).first()
            if version_number is not None
            else versions.filter(pk=template.current_version_id).first()
        )
        if version is None:
            raise NotFound(_("Cette version du modèle n'existe plus : rien n'a été créé."))
        space = space_from_blueprint(actor=actor, blueprint=_blueprint_of(version), start=start)
        TemplateReuse.objects.create(
            version=version, target_tenant=_town(), created_space_id=space.pk
        )
    return space


def template_rate(*, actor: User, template_id: int, stars: int) -> TemplateRating:
    """The current town's rating of a template, 1 to 5 (a second rating replaces the first).
    A town rates only templates of others."""
    ensure_perm(actor, "template_library.use_library")
    if stars not in range(1, 6):
        raise Invalid(_("Choisissez une note de 1 à 5."), field="stars")
    town = _town()
    template = SpaceTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise NotFound(_("Ce modèle a été retiré de la bibliothèque entre-temps."))
    if template.source_tenant_id == town.pk:
        raise Invalid(_("Une collectivité ne note pas ses propres modèles."))
    try:
        with transaction.atomic():
            rating, _created = TemplateRating.objects.update_or_create(
                template=template, tenant=town, defaults={"stars": stars}
            )
    except IntegrityError as exc:
        raise Conflict(_("Une autre note vient d'être enregistrée : réessayez.")) from exc
    return rating
