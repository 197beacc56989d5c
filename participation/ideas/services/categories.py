"""A call for ideas' categories and settings (staff)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid
from core.positions import next_position
from core.text import clean_text
from participation.models import Component
from participation.services import component_update_settings, ensure_perm

from ..models import (
    CATEGORY_MAX_LENGTH,
    Category,
)
from .fields import ensure_ideas


def category_create(*, actor: User, component: Component, name: str) -> Category:
    ensure_perm(actor, "ideas.analyse_proposal", component)
    ensure_ideas(component)
    name = clean_text(name, label=_("Nom de la catégorie"), max_length=CATEGORY_MAX_LENGTH)
    try:
        with transaction.atomic():
            position = next_position(
                parent=component, items=Category.objects.filter(component=component)
            )
            return Category.objects.create(component=component, name=name, position=position)
    except IntegrityError as exc:
        raise Conflict(_("La catégorie « %(name)s » existe déjà.") % {"name": name}) from exc


def category_rename(*, actor: User, category: Category, name: str) -> Category:
    ensure_perm(actor, "ideas.analyse_proposal", category.component)
    name = clean_text(name, label=_("Nom de la catégorie"), max_length=CATEGORY_MAX_LENGTH)
    try:
        with transaction.atomic():
            category.name = name
            category.save(update_fields=["name"])
    except IntegrityError as exc:
        raise Conflict(_("La catégorie « %(name)s » existe déjà.") % {"name": name}) from exc
    return category


def category_delete(*, actor: User, category: Category) -> None:
    """Its proposals stay, without category."""
    ensure_perm(actor, "ideas.analyse_proposal", category.component)
    category.delete()


def ideas_settings_update(
    *, actor: User, component: Component, max_proposals_per_person: int | None
) -> Component:
    ensure_ideas(component)
    if max_proposals_per_person is not None and max_proposals_per_person < 1:
        raise Invalid(
            _("Le nombre maximum d'idées par personne est d'au moins 1 (vide : sans limite).")
        )
    return component_update_settings(
        actor=actor,
        component=component,
        settings={"max_proposals_per_person": max_proposals_per_person},
    )
