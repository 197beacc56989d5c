"""The end of a space's or a component's life: a component removed (hidden, its data kept,
restored by the vendor's staff), a space archived (public, read-only) or deleted with its
data."""

from __future__ import annotations

from django.db import router, transaction
from django.db.models import QuerySet
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Invalid

from . import secret_ballots
from .images import images_delete_unused, images_referenced_by
from .models import Component, Image, Space
from .registry import registry
from .selectors import COMPONENT_MOUNTS
from .services import ensure_perm

# Components


def component_remove(*, actor: User, component: Component) -> Component:
    """Hide a component everywhere (its pages, its URLs, the space page); its data stays."""
    ensure_perm(actor, "participation.admin_town")
    Component.all_objects.filter(pk=component.pk, removed_at__isnull=True).update(
        removed_at=timezone.now()
    )
    COMPONENT_MOUNTS.forget()  # an UPDATE sends no signal
    component.refresh_from_db(fields=["removed_at"])
    return component


def removed_components() -> QuerySet[Component]:
    return Component.all_objects.filter(removed_at__isnull=False).select_related("space")


def component_restore(*, component_id: int) -> Component:
    """Show a removed component again, as it was (the vendor's staff: ``component_restore``
    in the console's commands)."""
    with transaction.atomic():
        component = (
            Component.all_objects.select_for_update()
            .filter(pk=component_id, removed_at__isnull=False)
            .first()
        )
        if component is None:
            raise Invalid(
                _("Aucun module retiré n'a le numéro %(id)s dans cette collectivité.")
                % {"id": component_id}
            )
        component.removed_at = None
        component.save(update_fields=["removed_at"])
    return component


# Spaces


def space_archive(*, actor: User, space: Space) -> Space:
    """Make a space read-only: its pages stay public, marked « archivé », and every write in
    it is refused (participation.rules.may_contribute and phase_allows)."""
    ensure_perm(actor, "participation.admin_town")
    Space.objects.filter(pk=space.pk, archived_at__isnull=True).update(archived_at=timezone.now())
    space.refresh_from_db(fields=["archived_at"])
    return space


def space_unarchive(*, actor: User, space: Space) -> Space:
    ensure_perm(actor, "participation.admin_town")
    Space.objects.filter(pk=space.pk).update(archived_at=None)
    space.refresh_from_db(fields=["archived_at"])
    return space


def _secret_boxes(space: Space) -> list[str]:
    """The secret ballot boxes of the space's components, removed ones and those of modules
    switched off included (the registry lists every installed module)."""
    boxes_of = {kind.key: kind.secret_boxes for kind in registry if kind.secret_boxes}
    return [
        box
        for component in Component.all_objects.filter(space=space)
        if component.type_key in boxes_of
        for box in boxes_of[component.type_key](component)
    ]


def space_delete(*, actor: User, space: Space, confirmation: str) -> dict[str, int]:
    """Delete a space with everything in it (components, removed ones too, their phases and
    items), once its exact title is typed as confirmation. Returns what was deleted, by model,
    for the audit log."""
    ensure_perm(actor, "participation.admin_town")
    if " ".join(confirmation.split()) != " ".join(space.title.split()):
        raise Invalid(
            _("Pour supprimer cet espace, tapez exactement son titre : « %(title)s ».")
            % {"title": space.title}
        )
    with transaction.atomic():
        locked = Space.objects.select_for_update().get(pk=space.pk)
        secret_ballots.boxes_delete(boxes=_secret_boxes(locked))
        # What the deletion takes, gathered first for the pictures it leaves behind (each
        # row points to its image with SET_NULL: the rows and the files would stay).
        collector = Collector(using=router.db_for_write(Space))
        collector.collect([locked])
        pictures = images_referenced_by(collector.data) | images_referenced_by(
            {queryset.model: queryset for queryset in collector.fast_deletes}
        )
        _total, by_model = collector.delete()
        unused = images_delete_unused(pictures)
    deleted = {label: count for label, count in by_model.items() if count}
    if unused:
        deleted[Image._meta.label] = unused
    return deleted
