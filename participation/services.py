"""Changing spaces, components, phases and residents' profiles."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid, NotAllowed
from core.positions import next_position
from core.rules import why_not
from core.text import clean_text

from .images import clean_alt, image_change
from .models import Component, Neighbourhood, Phase, Profile, Space, SpaceFollow
from .registry import registry
from .rules import contribution_refusal

TITLE_MAX_LENGTH = 200


def ensure_may_contribute(user: User) -> None:
    """Raise NotAllowed with the reason when this user may not contribute now."""
    refusal = contribution_refusal(user)
    if refusal:
        raise NotAllowed(refusal)


def ensure_perm(user: User, perm: str, obj=None) -> None:
    """Raise NotAllowed with the permission's reason (``why_not``) when the user may not."""
    reason = why_not(user, perm, obj)
    if reason is not None:
        raise NotAllowed(reason)


def _unique_slug(model, base: str, *, max_length: int = 80) -> str:
    base = slugify(base)[: max_length - 5].strip("-") or "espace"
    slug, suffix = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


# Residents


def profile_for(user: User) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def profile_update(
    *,
    user: User,
    neighbourhood: Neighbourhood | None,
    birth_year: int | None,
    phone: str = "",
) -> Profile:
    this_year = timezone.localdate().year
    if birth_year is not None and not (this_year - 120 <= birth_year <= this_year):
        raise Invalid(
            _("L'année de naissance doit être comprise entre %(min)d et %(max)d.")
            % {"min": this_year - 120, "max": this_year}
        )
    if user.verified_birth_year is not None:
        birth_year = user.verified_birth_year  # proven by FranceConnect: not typed over
    with transaction.atomic():
        profile = profile_for(user)
        profile.neighbourhood = neighbourhood
        profile.birth_year = birth_year
        profile.phone = clean_text(phone, label=_("Téléphone"), max_length=30, required=False)
        profile.save()
    return profile


def profile_birth_year_verified(*, user: User, **_signal) -> None:
    """An identity provider proved the resident's year of birth (accounts.identity): it becomes
    the profile's, which the age limits of votes read, and the profile page no longer changes
    it."""
    if user.verified_birth_year is None:
        return
    Profile.objects.update_or_create(user=user, defaults={"birth_year": user.verified_birth_year})


def charter_accept(*, user: User) -> Profile:
    with transaction.atomic():
        profile = profile_for(user)
        if profile.charter_accepted_at is None:
            profile.charter_accepted_at = timezone.now()
            profile.save(update_fields=["charter_accepted_at"])
    return profile


def neighbourhood_create(*, name: str, position: int = 0) -> Neighbourhood:
    name = clean_text(name, label=_("Nom du quartier"), max_length=120)
    try:
        with transaction.atomic():
            return Neighbourhood.objects.create(
                name=name, slug=_unique_slug(Neighbourhood, name, max_length=120), position=position
            )
    except IntegrityError as exc:
        raise Conflict(_("Le quartier « %(name)s » existe déjà.") % {"name": name}) from exc


# Spaces


def space_create(
    *,
    actor: User,
    kind: str,
    title: str,
    summary: str = "",
    description: str = "",
    neighbourhood: Neighbourhood | None = None,
    publish: bool = False,
) -> Space:
    ensure_perm(actor, "participation.admin_town")
    if kind not in Space.Kind.values:
        raise Invalid(_("Type d'espace inconnu : « %(kind)s ».") % {"kind": kind})
    title = clean_text(title, label=_("Titre"), max_length=TITLE_MAX_LENGTH)
    with transaction.atomic():
        space = Space.objects.create(
            kind=kind,
            title=title,
            slug=_unique_slug(Space, title),
            summary=clean_text(summary, label=_("Résumé"), max_length=300, required=False),
            description=clean_text(
                description, label=_("Description"), max_length=20_000, required=False
            ),
            neighbourhood=neighbourhood,
            position=Space.objects.count(),
        )
        if publish:
            space_publish(actor=actor, space=space)
    return space


def space_update(
    *,
    actor: User,
    space: Space,
    title: str,
    summary: str = "",
    description: str = "",
    neighbourhood: Neighbourhood | None = None,
    image=None,
    image_alt: str = "",
    remove_image: bool = False,
) -> Space:
    """The space's words, quarter and picture (a new ``image`` replaces the current one,
    described by ``image_alt``; ``remove_image`` deletes it)."""
    ensure_perm(actor, "participation.change_space", space)
    space.title = clean_text(title, label=_("Titre"), max_length=TITLE_MAX_LENGTH)
    space.summary = clean_text(summary, label=_("Résumé"), max_length=300, required=False)
    space.description = clean_text(
        description, label=_("Description"), max_length=20_000, required=False
    )
    space.neighbourhood = neighbourhood
    if image:
        clean_alt(image_alt)
    with transaction.atomic():
        space.image = image_change(
            current=space.image, upload=image, alt=image_alt, remove=remove_image
        )
        space.save(update_fields=["title", "summary", "description", "neighbourhood", "image"])
    return space


def space_publish(*, actor: User, space: Space) -> Space:
    ensure_perm(actor, "participation.admin_town")
    if not space.is_published:
        space.status = Space.Status.PUBLISHED
        space.published_at = timezone.now()
        space.save(update_fields=["status", "published_at"])
    return space


def space_unpublish(*, actor: User, space: Space) -> Space:
    ensure_perm(actor, "participation.admin_town")
    space.status = Space.Status.DRAFT
    space.save(update_fields=["status"])
    return space


def _reorder(queryset, ordered_ids: Sequence[int]) -> None:
    """Give each row its place in ``ordered_ids``; every row must be named exactly once."""
    rows = {row.pk: row for row in queryset.select_for_update()}
    if sorted(rows) != sorted(ordered_ids):
        raise Invalid(_("L'ordre envoyé ne correspond pas aux éléments existants."))
    for position, pk in enumerate(ordered_ids):
        rows[pk].position = position
    queryset.model.objects.bulk_update(rows.values(), ["position"])


def spaces_reorder(*, actor: User, ordered_ids: Sequence[int]) -> None:
    ensure_perm(actor, "participation.admin_town")
    with transaction.atomic():
        _reorder(Space.objects.all(), ordered_ids)


def space_follow(*, user: User, space: Space, follow: bool = True) -> None:
    ensure_perm(user, "participation.follow_space", space)
    if follow:
        SpaceFollow.objects.get_or_create(user=user, space=space)
    else:
        SpaceFollow.objects.filter(user=user, space=space).delete()


# Components


def component_add(
    *,
    actor: User,
    space: Space,
    type_key: str,
    title: str,
    description: str = "",
    settings: dict | None = None,
) -> Component:
    ensure_perm(actor, "participation.admin_town")
    if type_key not in registry:
        raise Invalid(_("Module inconnu : « %(key)s ».") % {"key": type_key})
    if not registry.is_on(type_key):
        raise Invalid(
            _(
                "Le module « %(module)s » n'est pas activé pour la collectivité (page "
                "« Modules » du back office, selon son abonnement)."
            )
            % {"module": registry.get(type_key).label}
        )
    component_type = registry.get(type_key)
    with transaction.atomic():
        position = next_position(parent=space, items=space.components.all())
        return Component.objects.create(
            space=space,
            type_key=type_key,
            title=clean_text(title, label=_("Titre"), max_length=TITLE_MAX_LENGTH),
            description=clean_text(
                description, label=_("Présentation"), max_length=20_000, required=False
            ),
            settings={**component_type.default_settings, **(settings or {})},
            position=position,
        )


def components_reorder(*, actor: User, space: Space, ordered_ids: Sequence[int]) -> None:
    ensure_perm(actor, "participation.change_space", space)
    with transaction.atomic():
        _reorder(Component.objects.filter(space=space), ordered_ids)


def component_update_settings(*, actor: User, component: Component, settings: dict) -> Component:
    ensure_perm(actor, "participation.change_space", component)
    component.settings = {**component.settings, **settings}
    component.save(update_fields=["settings"])
    return component


# Phases


def phase_add(
    *,
    actor: User,
    component: Component,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    title: str = "",
) -> Phase:
    """Add a dated phase. Phases of one component never overlap: the component row is locked
    while the others are checked, so two admins cannot add overlapping phases at once."""
    ensure_perm(actor, "participation.change_space", component)
    if component.type.phase_kind(kind) is None:
        raise Invalid(
            _("Étape « %(kind)s » inconnue pour le module « %(module)s ».")
            % {"kind": kind, "module": component.type.label}
        )
    if ends_at <= starts_at:
        raise Invalid(_("La fin d'une phase doit venir après son début."))
    with transaction.atomic():
        Component.objects.select_for_update().get(pk=component.pk)
        overlapping = component.phases.filter(Q(starts_at__lt=ends_at) & Q(ends_at__gt=starts_at))
        if overlapping.exists():
            raise Invalid(
                _("Cette phase chevauche « %(other)s ».")
                % {"other": overlapping.first().display_title}
            )
        return Phase.objects.create(
            component=component,
            kind=kind,
            title=clean_text(title, label=_("Titre"), max_length=TITLE_MAX_LENGTH, required=False),
            starts_at=starts_at,
            ends_at=ends_at,
        )


def phase_close_now(*, actor: User, phase: Phase) -> Phase:
    """End a running phase now (the admin closes a vote or a consultation early)."""
    ensure_perm(actor, "participation.change_space", phase.component)
    now = timezone.now()
    with transaction.atomic():
        phase = Phase.objects.select_for_update().get(pk=phase.pk)
        if not phase.starts_at <= now < phase.ends_at:
            raise Conflict(_("Seule une phase en cours peut être close."))
        phase.ends_at = now
        phase.save(update_fields=["ends_at"])
    return phase


def phase_delete(*, actor: User, phase: Phase) -> None:
    ensure_perm(actor, "participation.change_space", phase.component)
    phase.delete()
