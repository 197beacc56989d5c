"""A space's blueprint: its set-up as a JSON document another town can rebuild it from (the
template library, ``network.library``).

What a blueprint holds: the space's kind and texts, its picture (the files go beside the
document, see ``BlueprintImage``), its components with their type, texts and settings, their
phases as day offsets from the first phase's start, and each component's own structure as its
module's ``blueprint_export`` hook gives it (a survey's questions, a poll's choices, the
categories of a call for ideas...). What it never holds: residents' contributions, accounts,
moderators, followers, quarters (another town has its own) nor any personal data. Only the
fields named here and in the modules' hooks are read: a field added to a model later stays
out until someone adds it on purpose.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid

from .models import Component, Image, Phase, Space
from .registry import registry
from .services import _unique_slug, ensure_perm

BLUEPRINT_FORMAT = 1
SPACE_IMAGE_REF = "space"


@dataclass(frozen=True)
class BlueprintImage:
    """A picture of the blueprint: its description and sizes, and the bytes of each WebP
    rendition by width, as ``participation.images`` stored them."""

    ref: str
    alt: str
    width: int
    height: int
    files: dict[int, bytes]


@dataclass(frozen=True)
class Blueprint:
    document: dict[str, Any]
    images: dict[str, BlueprintImage]


# Export (in the source town's schema)


def _image_export(image: Image, ref: str) -> BlueprintImage:
    files = {}
    for width in image.widths:
        with default_storage.open(image.path(width), "rb") as stored:
            files[int(width)] = stored.read()
    return BlueprintImage(
        ref=ref, alt=image.alt, width=image.width, height=image.height, files=files
    )


def _phases_export(component: Component, start: datetime.date) -> list[dict[str, Any]]:
    return [
        {
            "kind": phase.kind,
            "title": phase.title,
            "start_day": (timezone.localdate(phase.starts_at) - start).days,
            "end_day": (timezone.localdate(phase.ends_at) - start).days,
        }
        for phase in component.phases.all()
    ]


def _first_day(components: list[Component]) -> datetime.date | None:
    starts = [phase.starts_at for component in components for phase in component.phases.all()]
    return timezone.localdate(min(starts)) if starts else None


def space_blueprint(*, space: Space) -> Blueprint:
    """The blueprint of ``space``, read in the current (source) town's schema."""
    components = list(space.components.prefetch_related("phases").order_by("position", "pk"))
    start = _first_day(components)
    images = {}
    if space.image is not None:
        images[SPACE_IMAGE_REF] = _image_export(space.image, SPACE_IMAGE_REF)
    document = {
        "format": BLUEPRINT_FORMAT,
        "space": {
            "kind": space.kind,
            "title": space.title,
            "summary": space.summary,
            "description": space.description,
            "image": SPACE_IMAGE_REF if space.image is not None else None,
        },
        "components": [
            {
                "type_key": component.type_key,
                "title": component.title,
                "description": component.description,
                "settings": component.settings,
                "phases": _phases_export(component, start) if start else [],
                "structure": (
                    component.type.blueprint_export(component)
                    if component.type.blueprint_export
                    else {}
                ),
            }
            for component in components
        ],
    }
    return Blueprint(document=document, images=images)


def _structure_items(structure: dict[str, Any]) -> list[str]:
    """The names of a component's structure (a survey's title, a poll's question, a
    category), whatever the module: each list's entries, by their first text field."""
    items = []
    for entries in structure.values():
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, str):
                items.append(entry)
            elif isinstance(entry, dict):
                name = entry.get("title") or entry.get("question") or entry.get("label")
                if name:
                    items.append(str(name))
    return items


def blueprint_summary(document: dict[str, Any]) -> dict[str, Any]:
    """What a blueprint will create, for a preview page: the space's words and, per component,
    its module's label, its phases as days and the names of its structure."""
    components = []
    for item in document.get("components", []):
        component_type = registry.get(item["type_key"]) if item["type_key"] in registry else None
        phases = []
        for phase in item.get("phases", []):
            kind = component_type.phase_kind(phase["kind"]) if component_type else None
            label = phase.get("title") or (kind.label if kind else phase["kind"])
            phases.append({**phase, "label": label})
        components.append(
            {
                "title": item.get("title", ""),
                "type_label": component_type.label if component_type else item["type_key"],
                "installed": component_type is not None,
                "phases": phases,
                "items": _structure_items(item.get("structure") or {}),
            }
        )
    return {"space": document.get("space", {}), "components": components}


# Import (in the target town's schema)


def _check_modules(document: dict[str, Any]) -> None:
    """Every module of the blueprint must be installed and switched on for the town (within
    its plan): say which is missing before anything is written."""
    for item in document.get("components", []):
        key = item.get("type_key", "")
        if key not in registry:
            raise Invalid(
                _("Ce modèle utilise le module « %(key)s », absent de cette installation.")
                % {"key": key}
            )
        if not registry.is_on(key):
            raise Invalid(
                _(
                    "Ce modèle utilise le module « %(module)s », qui n'est pas activé pour la "
                    "collectivité (page « Modules » du back office, selon son abonnement)."
                )
                % {"module": registry.get(key).label}
            )


def _image_import(image: BlueprintImage, written: list[str]) -> Image:
    row = Image(
        key=uuid.uuid4().hex,
        widths=sorted(image.files),
        width=image.width,
        height=image.height,
        alt=image.alt,
    )
    for width, content in image.files.items():
        written.append(default_storage.save(row.path(width), ContentFile(content)))
    row.save()
    return row


def _phase_dates(
    phase: dict[str, Any], start: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    def midnight(day: int) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(start + datetime.timedelta(days=day), datetime.time())
        )

    start_day = int(phase["start_day"])
    end_day = max(int(phase["end_day"]), start_day + 1)
    return midnight(start_day), midnight(end_day)


def _component_import(space: Space, item: dict[str, Any], position: int, start) -> Component:
    component_type = registry.get(item["type_key"])
    component = Component.objects.create(
        space=space,
        type_key=component_type.key,
        title=item.get("title") or component_type.label,
        description=item.get("description", ""),
        settings={**component_type.default_settings, **(item.get("settings") or {})},
        position=position,
    )
    for phase in item.get("phases", []):
        if component_type.phase_kind(phase.get("kind", "")) is None:
            continue  # a step the module no longer has: the town adds its own
        starts_at, ends_at = _phase_dates(phase, start)
        Phase.objects.create(
            component=component,
            kind=phase["kind"],
            title=phase.get("title", ""),
            starts_at=starts_at,
            ends_at=ends_at,
        )
    if component_type.blueprint_import and item.get("structure"):
        component_type.blueprint_import(component, item["structure"])
    return component


def space_from_blueprint(
    *, actor: User, blueprint: Blueprint, start: datetime.date | None = None
) -> Space:
    """Build a draft space from ``blueprint`` in the current (target) town's schema, in one
    transaction: every row or none. Picture files written before a failure are deleted."""
    ensure_perm(actor, "participation.admin_town")
    document = blueprint.document
    if document.get("format") != BLUEPRINT_FORMAT or "space" not in document:
        raise Invalid(_("Ce modèle n'est pas lisible par cette version d'Agora."))
    _check_modules(document)
    start = start or timezone.localdate()
    head = document["space"]
    if head.get("kind") not in Space.Kind.values:
        raise Invalid(_("Type d'espace inconnu : « %(kind)s ».") % {"kind": head.get("kind")})
    image_ref = head.get("image")
    if image_ref and image_ref not in blueprint.images:
        raise Conflict(_("L'image de ce modèle est introuvable : rien n'a été créé."))
    written: list[str] = []
    try:
        with transaction.atomic():
            space = Space.objects.create(
                kind=head["kind"],
                title=head["title"],
                slug=_unique_slug(Space, head["title"]),
                summary=head.get("summary", ""),
                description=head.get("description", ""),
                status=Space.Status.DRAFT,
                position=Space.objects.count(),
                image=_image_import(blueprint.images[image_ref], written) if image_ref else None,
            )
            for position, item in enumerate(document.get("components", [])):
                _component_import(space, item, position, start)
    except IntegrityError as exc:
        _delete_files(written)
        raise Conflict(
            _("Ce modèle contient une structure incohérente : rien n'a été créé.")
        ) from exc
    except BaseException:
        _delete_files(written)
        raise
    return space


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


# For the modules' hooks


def fields_export(row, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of ``row`` as JSON (decimals as text, so nothing is rounded)."""
    values = {name: getattr(row, name) for name in fields}
    return {
        name: str(value) if isinstance(value, Decimal) else value for name, value in values.items()
    }


def fields_import(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The named fields found in ``data``: a blueprint of an older version may lack some, the
    model's defaults then apply."""
    return {name: data[name] for name in fields if name in data}
