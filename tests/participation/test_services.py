"""The engine's services: who may change spaces, components and phases, and what is refused."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from core.errors import ApplicationError, NotAllowed
from participation import services
from participation.models import Component, Neighbourhood, Phase, Profile, Space
from tests.factories import UserFactory
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ModeratorFactory,
    NeighbourhoodFactory,
    ParticipantFactory,
    PhaseFactory,
    SpaceFactory,
)

DAY = datetime.timedelta(days=1)


@pytest.fixture
def admin(in_town_a):
    return AdminFactory()


# Spaces


def test_an_admin_creates_a_draft_space(admin):
    neighbourhood = NeighbourhoodFactory(name="Centre")
    space = services.space_create(
        actor=admin,
        kind=Space.Kind.NEIGHBOURHOOD_COUNCIL,
        title="  Conseil de quartier Centre ",
        summary="Les réunions du quartier",
        neighbourhood=neighbourhood,
    )
    assert space.title == "Conseil de quartier Centre"
    assert space.slug == "conseil-de-quartier-centre"
    assert space.status == Space.Status.DRAFT
    assert space.neighbourhood == neighbourhood
    again = services.space_create(
        actor=admin, kind="consultation", title="Conseil de quartier Centre"
    )
    assert again.slug == "conseil-de-quartier-centre-2"
    assert again.position == 1


def test_a_space_can_be_created_published(admin):
    space = services.space_create(actor=admin, kind="consultation", title="Budget", publish=True)
    assert space.is_published
    assert space.published_at is not None


@pytest.mark.parametrize("factory", [ModeratorFactory, ParticipantFactory])
def test_only_admins_create_spaces(in_town_a, factory):
    with pytest.raises(NotAllowed, match="droits nécessaires"):
        services.space_create(actor=factory(), kind="consultation", title="Budget")
    assert not Space.objects.exists()


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "Titre : ce champ est obligatoire."),
        ("   ", "Titre : ce champ est obligatoire."),
        ("x" * 201, "Titre : 201 caractères, 200 au plus."),
    ],
)
def test_a_space_title_is_required_and_bounded(admin, title, message):
    with pytest.raises(ApplicationError) as refusal:
        services.space_create(actor=admin, kind="consultation", title=title)
    assert str(refusal.value) == message
    assert not Space.objects.exists()


def test_a_200_character_title_is_accepted(admin):
    assert (
        len(services.space_create(actor=admin, kind="consultation", title="x" * 200).title) == 200
    )


def test_an_unknown_space_kind_is_refused(admin):
    with pytest.raises(ApplicationError, match="Type d'espace inconnu : « fete »"):
        services.space_create(actor=admin, kind="fete", title="Fête")
    assert not Space.objects.exists()


def test_a_summary_too_long_is_refused(admin):
    with pytest.raises(ApplicationError, match=re.escape("Résumé : 301 caractères, 300 au plus.")):
        services.space_create(actor=admin, kind="consultation", title="A", summary="x" * 301)


def test_moderators_update_spaces_citizens_do_not(in_town_a):
    space = SpaceFactory(title="Avant")
    services.space_update(actor=ModeratorFactory(), space=space, title="Après", summary="Résumé")
    space.refresh_from_db()
    assert (space.title, space.summary) == ("Après", "Résumé")
    with pytest.raises(NotAllowed):
        services.space_update(actor=ParticipantFactory(), space=space, title="Piraté")
    space.refresh_from_db()
    assert space.title == "Après"


def test_a_space_moderator_updates_their_space(in_town_a):
    space, other = SpaceFactory(), SpaceFactory()
    resident = ParticipantFactory()
    space.moderators.add(resident)
    services.space_update(actor=resident, space=space, title="Renommé")
    with pytest.raises(NotAllowed):
        services.space_update(actor=resident, space=other, title="Renommé")


def test_an_update_with_an_empty_title_changes_nothing(admin):
    space = SpaceFactory(title="Avant", summary="Résumé")
    with pytest.raises(ApplicationError, match=re.escape("Titre : ce champ est obligatoire.")):
        services.space_update(actor=admin, space=space, title="", summary="Autre")
    space.refresh_from_db()
    assert (space.title, space.summary) == ("Avant", "Résumé")


def test_publish_and_unpublish(admin):
    space = SpaceFactory(status=Space.Status.DRAFT, published_at=None)
    services.space_publish(actor=admin, space=space)
    space.refresh_from_db()
    assert space.is_published
    first_published_at = space.published_at
    services.space_publish(actor=admin, space=space)
    space.refresh_from_db()
    assert space.published_at == first_published_at
    services.space_unpublish(actor=admin, space=space)
    space.refresh_from_db()
    assert space.status == Space.Status.DRAFT


@pytest.mark.parametrize("action", [services.space_publish, services.space_unpublish])
def test_only_admins_publish_or_unpublish(in_town_a, action):
    space = SpaceFactory(status=Space.Status.DRAFT)
    for actor in (ModeratorFactory(), ParticipantFactory()):
        with pytest.raises(NotAllowed):
            action(actor=actor, space=space)
    space.refresh_from_db()
    assert space.status == Space.Status.DRAFT


def test_spaces_reorder(admin):
    first, second, third = SpaceFactory(), SpaceFactory(), SpaceFactory()
    services.spaces_reorder(actor=admin, ordered_ids=[third.pk, first.pk, second.pk])
    assert list(Space.objects.order_by("position").values_list("pk", flat=True)) == [
        third.pk,
        first.pk,
        second.pk,
    ]


@pytest.mark.parametrize("ids", ["missing", "duplicate", "foreign"])
def test_spaces_reorder_needs_every_space_once(admin, ids):
    first, second = SpaceFactory(position=0), SpaceFactory(position=1)
    ordered = {
        "missing": [first.pk],
        "duplicate": [first.pk, first.pk],
        "foreign": [first.pk, second.pk, 999_999],
    }[ids]
    with pytest.raises(ApplicationError, match="L'ordre envoyé ne correspond pas"):
        services.spaces_reorder(actor=admin, ordered_ids=ordered)
    assert list(Space.objects.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        second.pk,
    ]


def test_moderators_do_not_reorder_spaces(in_town_a):
    space = SpaceFactory()
    with pytest.raises(NotAllowed):
        services.spaces_reorder(actor=ModeratorFactory(), ordered_ids=[space.pk])


def test_components_reorder(in_town_a):
    space = SpaceFactory()
    first, second = ComponentFactory(space=space), ComponentFactory(space=space)
    services.components_reorder(
        actor=ModeratorFactory(), space=space, ordered_ids=[second.pk, first.pk]
    )
    assert list(space.components.values_list("pk", flat=True)) == [second.pk, first.pk]
    with pytest.raises(NotAllowed):
        services.components_reorder(
            actor=ParticipantFactory(), space=space, ordered_ids=[first.pk, second.pk]
        )
    other = ComponentFactory()
    with pytest.raises(ApplicationError, match="L'ordre envoyé"):
        services.components_reorder(
            actor=ModeratorFactory(), space=space, ordered_ids=[first.pk, second.pk, other.pk]
        )


def test_follow_and_unfollow(in_town_a):
    space, resident = SpaceFactory(), ParticipantFactory()
    services.space_follow(user=resident, space=space)
    services.space_follow(user=resident, space=space)
    assert list(space.followers.all()) == [resident]
    services.space_follow(user=resident, space=space, follow=False)
    assert not space.followers.exists()
    draft = SpaceFactory(status=Space.Status.DRAFT)
    with pytest.raises(NotAllowed):
        services.space_follow(user=resident, space=draft)


# Components


def test_an_admin_adds_a_component_at_the_end(admin):
    space = SpaceFactory()
    ComponentFactory(space=space)
    component = services.component_add(
        actor=admin, space=space, type_key="news", title="Actualités"
    )
    assert component.position == 1
    assert component.type.key == "news"


def test_an_unknown_module_is_refused(admin):
    space = SpaceFactory()
    with pytest.raises(ApplicationError, match="Module inconnu : « tombola »"):
        services.component_add(actor=admin, space=space, type_key="tombola", title="Tombola")
    assert not Component.objects.exists()


def test_only_admins_add_components(in_town_a):
    space = SpaceFactory()
    with pytest.raises(NotAllowed):
        services.component_add(actor=ModeratorFactory(), space=space, type_key="news", title="A")


def test_a_module_outside_the_towns_subscription_is_refused(admin):
    space = SpaceFactory()
    connection.tenant.enabled_modules = ["documents"]
    with pytest.raises(ApplicationError) as refusal:
        services.component_add(actor=admin, space=space, type_key="news", title="Actualités")
    assert "« Actualités » n'est pas activé pour la collectivité" in str(refusal.value)
    assert not Component.objects.exists()
    services.component_add(actor=admin, space=space, type_key="documents", title="Documents")


def test_the_subscription_is_read_from_the_towns_row(town_a):
    town_a.enabled_modules = ["documents"]
    town_a.save(update_fields=["enabled_modules"])
    with tenant_context(town_a):
        admin, space = AdminFactory(), SpaceFactory()
        with pytest.raises(ApplicationError, match="abonnement"):
            services.component_add(actor=admin, space=space, type_key="news", title="A")


def test_a_component_title_is_required(admin):
    with pytest.raises(ApplicationError, match=re.escape("Titre : ce champ est obligatoire.")):
        services.component_add(actor=admin, space=SpaceFactory(), type_key="news", title=" ")


# Phases


def test_a_moderator_adds_a_phase(in_town_a):
    component = ComponentFactory()
    now = timezone.now()
    phase = services.phase_add(
        actor=ModeratorFactory(),
        component=component,
        kind="publication",
        starts_at=now,
        ends_at=now + DAY,
    )
    assert phase.display_title == "Publication"
    assert component.active_phase(now + DAY / 2) == phase


def test_a_citizen_does_not_add_phases(in_town_a):
    now = timezone.now()
    with pytest.raises(NotAllowed):
        services.phase_add(
            actor=ParticipantFactory(),
            component=ComponentFactory(),
            kind="publication",
            starts_at=now,
            ends_at=now + DAY,
        )


def test_an_unknown_phase_kind_is_refused(admin):
    now = timezone.now()
    with pytest.raises(
        ApplicationError, match="Étape « vote » inconnue pour le module « Actualités »"
    ):
        services.phase_add(
            actor=admin, component=ComponentFactory(), kind="vote", starts_at=now, ends_at=now + DAY
        )
    assert not Phase.objects.exists()


@pytest.mark.parametrize("length", [-DAY, datetime.timedelta(0)])
def test_a_phase_ends_after_it_starts(admin, length):
    now = timezone.now()
    with pytest.raises(
        ApplicationError, match=re.escape("La fin d'une phase doit venir après son début.")
    ):
        services.phase_add(
            actor=admin,
            component=ComponentFactory(),
            kind="publication",
            starts_at=now,
            ends_at=now + length,
        )
    assert not Phase.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [(-2, 1), (5, 40), (2, 3), (-5, 60)],
    ids=["over-the-start", "over-the-end", "inside", "around"],
)
def test_overlapping_phases_are_refused(admin, start, end):
    existing = PhaseFactory(title="Première phase")  # from yesterday to in 30 days
    now = timezone.now()
    with pytest.raises(
        ApplicationError, match=re.escape("Cette phase chevauche « Première phase ».")
    ):
        services.phase_add(
            actor=admin,
            component=existing.component,
            kind="publication",
            starts_at=now + start * DAY,
            ends_at=now + end * DAY,
        )
    assert Phase.objects.count() == 1


def test_adjacent_phases_are_accepted(admin):
    existing = PhaseFactory()
    before = services.phase_add(
        actor=admin,
        component=existing.component,
        kind="publication",
        starts_at=existing.starts_at - 3 * DAY,
        ends_at=existing.starts_at,
    )
    after = services.phase_add(
        actor=admin,
        component=existing.component,
        kind="publication",
        starts_at=existing.ends_at,
        ends_at=existing.ends_at + DAY,
    )
    assert list(existing.component.phases.all()) == [before, existing, after]


def test_phases_of_other_components_do_not_overlap_each_other(admin):
    existing = PhaseFactory()
    services.phase_add(
        actor=admin,
        component=ComponentFactory(space=existing.component.space),
        kind="publication",
        starts_at=existing.starts_at,
        ends_at=existing.ends_at,
    )
    assert Phase.objects.count() == 2


def test_phase_delete(in_town_a):
    phase = PhaseFactory()
    with pytest.raises(NotAllowed):
        services.phase_delete(actor=ParticipantFactory(), phase=phase)
    services.phase_delete(actor=ModeratorFactory(), phase=phase)
    assert not Phase.objects.exists()


def test_phase_close_now_ends_a_running_phase(in_town_a):
    phase = PhaseFactory()
    component = phase.component
    assert component.phase_allows("comment")
    with pytest.raises(NotAllowed):
        services.phase_close_now(actor=ParticipantFactory(), phase=phase)
    closed = services.phase_close_now(actor=ModeratorFactory(), phase=phase)
    assert closed.ends_at <= timezone.now()
    assert not Component.objects.get(pk=component.pk).phase_allows("comment")


def test_only_a_running_phase_can_be_closed(in_town_a):
    future = PhaseFactory(starts_at=timezone.now() + DAY, ends_at=timezone.now() + 2 * DAY)
    with pytest.raises(ApplicationError, match="Seule une phase en cours"):
        services.phase_close_now(actor=ModeratorFactory(), phase=future)
    assert Phase.objects.get(pk=future.pk).ends_at == future.ends_at


# Residents


@pytest.mark.parametrize("offset", [0, 120])
def test_birth_years_within_bounds_are_kept(in_town_a, offset):
    year = timezone.localdate().year - offset
    profile = services.profile_update(user=UserFactory(), neighbourhood=None, birth_year=year)
    assert profile.birth_year == year


@pytest.mark.parametrize("offset", [-1, 121])
def test_birth_years_out_of_bounds_are_refused(in_town_a, offset):
    this_year = timezone.localdate().year
    user = UserFactory()
    with pytest.raises(ApplicationError) as refusal:
        services.profile_update(user=user, neighbourhood=None, birth_year=this_year - offset)
    assert str(refusal.value) == (
        f"L'année de naissance doit être comprise entre {this_year - 120} et {this_year}."
    )
    assert not Profile.objects.filter(user=user, birth_year__isnull=False).exists()


def test_profile_update_saves_the_neighbourhood_and_phone(in_town_a):
    neighbourhood = NeighbourhoodFactory()
    profile = services.profile_update(
        user=UserFactory(), neighbourhood=neighbourhood, birth_year=None, phone=" 06 12 34 56 78 "
    )
    profile.refresh_from_db()
    assert (profile.neighbourhood, profile.birth_year, profile.phone) == (
        neighbourhood,
        None,
        "06 12 34 56 78",
    )


def test_charter_accept_is_idempotent(in_town_a):
    user = UserFactory()
    first = services.charter_accept(user=user).charter_accepted_at
    assert first is not None
    second = services.charter_accept(user=user)
    second.refresh_from_db()
    assert second.charter_accepted_at == first
    assert Profile.objects.filter(user=user).count() == 1


def test_a_neighbourhood_name_is_unique(in_town_a):
    services.neighbourhood_create(name="Centre-ville")
    with pytest.raises(
        ApplicationError, match=re.escape("Le quartier « Centre-ville » existe déjà.")
    ):
        services.neighbourhood_create(name=" Centre-ville ")
    assert Neighbourhood.objects.count() == 1
    assert services.neighbourhood_create(name="Centre ville").slug == "centre-ville-2"


def test_a_neighbourhood_needs_a_name(in_town_a):
    with pytest.raises(
        ApplicationError, match=re.escape("Nom du quartier : ce champ est obligatoire.")
    ):
        services.neighbourhood_create(name="")
